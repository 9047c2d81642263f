package org.argosy.sensor.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.argosy.sensor.ProjectPaths;
import org.junit.jupiter.api.Test;

/** BPF filters on capture files select what tcpdump selects; bad ones are refused by name. */
class CaptureFilterTest {

  private static final Path ROOT = ProjectPaths.root();
  private static final Path DEMO = ROOT.resolve("samples/demo.pcap");

  @Test
  void blankIsNoFilter() {
    assertThat(CaptureFilter.of(null).isNone()).isTrue();
    assertThat(CaptureFilter.of("  ").isNone()).isTrue();
  }

  @Test
  void anExpressionLibpcapCannotCompileIsRefusedWithItsMessage() {
    assertThatThrownBy(() -> CaptureFilter.of("tcp port"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad capture filter 'tcp port': ");
  }

  @Test
  void aFilteredFileDeliversThePacketsTcpdumpSelects() throws Exception {
    for (String expression : new String[] {"tcp port 80", "udp", "host 10.77.0.11 and not tcp"}) {
      long selected = count(CaptureFilter.of(expression));
      assertThat(selected).as(expression).isPositive().isLessThan(count(CaptureFilter.NONE));
      assertThat(selected).as(expression).isEqualTo(tcpdumpCount(expression));
    }
  }

  @Test
  void aFilterThatDoesNotFitTheFilesLinkTypeNamesTheFile() {
    Path rawIp = ROOT.resolve("../shared/pcaps/tcpdump-tests/LINKTYPE_RAW_ipv4.pcap").normalize();
    assumeTrue(Files.isReadable(rawIp), "the shared tcpdump corpus is beside the project");
    assertThatThrownBy(
            () ->
                PcapFileReader.read(
                    rawIp,
                    CaptureFilter.of("ether host 02:00:00:00:00:01"),
                    linkType -> {},
                    (frame, captured, wire, time) -> {},
                    () -> false))
        .isInstanceOf(PcapFileReader.CaptureFileException.class)
        .hasMessageContaining("'ether host 02:00:00:00:00:01' does not apply to " + rawIp);
  }

  private static long count(CaptureFilter filter) throws Exception {
    return PcapFileReader.read(
            DEMO, filter, linkType -> {}, (frame, captured, wire, time) -> {}, () -> false)
        .packets();
  }

  /** What tcpdump, the reference for the filter language, counts on the same file. */
  private static long tcpdumpCount(String expression) throws IOException, InterruptedException {
    Process tcpdump;
    try {
      tcpdump =
          new ProcessBuilder("tcpdump", "-nn", "-r", DEMO.toString(), expression)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      assumeTrue(false, "tcpdump is installed (.ci/run installs it): " + e.getMessage());
      throw e;
    }
    long lines = new String(tcpdump.getInputStream().readAllBytes()).lines().count();
    assertThat(tcpdump.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tcpdump.exitValue()).isZero();
    return lines;
  }
}

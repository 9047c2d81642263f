package org.argosy.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every capture of the shared tcpdump regression corpus (hundreds of malformed packets among them)
 * is read to the end: packets that cannot be decoded are counted, files libpcap rejects are a clear
 * error naming the file, and nothing else escapes.
 */
public class SharedCapturesTest {

  /** The shared corpus of real captures (tcpdump's regression tests). */
  public static Path corpus() {
    Path root = ProjectPaths.root();
    return root.resolve("../shared/pcaps/tcpdump-tests").normalize();
  }

  @Test
  void readsEveryCaptureOfTheCorpusWithoutAnEscapingException() throws IOException {
    Path corpus = corpus();
    Assumptions.assumeTrue(Files.isDirectory(corpus), "shared corpus not present at " + corpus);
    List<Path> files;
    try (Stream<Path> listing = Files.list(corpus)) {
      files = listing.filter(Files::isRegularFile).sorted().toList();
    }
    long packets = 0;
    long records = 0;
    long skipped = 0;
    List<String> rejected = new ArrayList<>();
    for (Path file : files) {
      RecordingSink sink = new RecordingSink();
      Sensor sensor =
          new Sensor(
              FlowTableConfig.withStatusInterval(5),
              new SensorIdentity("lab", "corpus", file.getFileName().toString()),
              sink);
      try {
        sensor.readFile(file);
      } catch (CaptureFileException e) {
        assertThat(e.getMessage()).contains(file.toString());
        rejected.add(file.getFileName().toString());
      }
      sensor.finish();
      packets += sensor.counters().packets();
      skipped += sensor.counters().skippedTotal();
      records += sink.records.size();
      assertThat(sink.records)
          .allSatisfy(r -> assertThat(r.getSpkts() + r.getDpkts()).isPositive());
    }
    assertThat(files).hasSizeGreaterThan(800);
    assertThat(packets).isGreaterThan(10_000);
    assertThat(records).isGreaterThan(1_000);
    assertThat(skipped).isPositive();
    assertThat(rejected).hasSizeLessThan(files.size() / 4);
  }
}

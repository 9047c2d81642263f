package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.argosy.avro.FlowRecord;
import org.argosy.cli.Argosy;
import org.argosy.query.IpAddresses;
import org.argosy.tools.io.FlowFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code argosy sensor -r/-R ... -w FILE} run in-process on the bundled capture; the Avro file is
 * read back with a plain Avro reader and checked against the capture's known totals and Argus's
 * per-conversation totals in samples/expected.
 */
class SensorCommandFileITCase {

  private static final Path DEMO = FlowRecordFiles.projectRoot().resolve("samples/demo.pcap");

  /** samples/README.md, "Capture facts". */
  private static final long DEMO_PACKETS = 15_047;

  private static final long DEMO_WIRE_BYTES = 10_222_053;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Argosy.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }

  @Test
  void writesEveryPacketOfTheCaptureIntoTheAvroFile(@TempDir Path work) throws Exception {
    Path out = work.resolve("flows.avro");

    int exit =
        run(
            "sensor",
            "-r",
            DEMO.toString(),
            "-w",
            out.toString(),
            "--site",
            "lab",
            "--sensor-id",
            "s1");

    assertThat(exit).as(err.toString()).isZero();
    List<FlowRecord> records = FlowRecordFiles.read(out);
    assertThat(records.stream().mapToLong(r -> r.getSpkts() + r.getDpkts()).sum())
        .isEqualTo(DEMO_PACKETS);
    assertThat(records.stream().mapToLong(r -> r.getSbytes() + r.getDbytes()).sum())
        .isEqualTo(DEMO_WIRE_BYTES);
    assertThat(records).allSatisfy(r -> assertThat(r.getSite()).isEqualTo("lab"));
    assertThat(records).allSatisfy(r -> assertThat(r.getSensorId()).isEqualTo("s1"));
    assertThat(records.stream().mapToLong(FlowRecord::getSeq))
        .containsExactlyElementsOf(LongStream.range(0, records.size()).boxed().toList());
    assertThat(err.toString()).contains(DEMO_PACKETS + " packets").contains("skipped none");
  }

  @Test
  void writesTheSameRecordsIntoAColumnarFile(@TempDir Path work) throws Exception {
    Path avro = work.resolve("flows.avro");
    Path arrow = work.resolve("flows.arrow");
    assertThat(run("sensor", "-r", DEMO.toString(), "-w", avro.toString())).isZero();
    assertThat(run("sensor", "-r", DEMO.toString(), "-w", arrow.toString()))
        .as(err.toString())
        .isZero();

    assertThat(FlowFiles.isArrow(arrow.toString())).isTrue();
    List<FlowRecord> columnar = new ArrayList<>();
    FlowFiles.read(arrow.toString(), columnar::add);
    assertThat(columnar).isEqualTo(FlowRecordFiles.read(avro));
  }

  @Test
  void everyTcpAndUdpConversationHasArgusTotals(@TempDir Path work) throws Exception {
    Path out = work.resolve("flows.avro");
    assertThat(run("sensor", "-r", DEMO.toString(), "-w", out.toString())).isZero();

    Map<String, Long> ours = new HashMap<>();
    for (FlowRecord r : FlowRecordFiles.read(out)) {
      if (r.getProto() != null && (r.getProto() == 6 || r.getProto() == 17)) {
        String key =
            String.join(
                ",",
                r.getProto() == 6 ? "tcp" : "udp",
                IpAddresses.format(r.getSaddr()),
                r.getSport().toString(),
                IpAddresses.format(r.getDaddr()),
                r.getDport().toString());
        ours.merge(key + " pkts", r.getSpkts() + r.getDpkts(), Long::sum);
        ours.merge(key + " bytes", r.getSbytes() + r.getDbytes(), Long::sum);
      }
    }

    assertThat(ours).containsExactlyInAnyOrderEntriesOf(argusTcpAndUdpTotals());
  }

  @Test
  void recordsNeverSpanAStatusIntervalAlignedToTheEpoch(@TempDir Path work) throws Exception {
    Path out = work.resolve("flows.avro");
    assertThat(run("sensor", "-r", DEMO.toString(), "-w", out.toString(), "-S", "10")).isZero();

    List<FlowRecord> records = FlowRecordFiles.read(out);
    assertThat(records)
        .allSatisfy(
            r ->
                assertThat(Math.floorDiv(r.getLtime(), 10_000_000L))
                    .isEqualTo(Math.floorDiv(r.getStime(), 10_000_000L)));
    // 44 s of traffic in 10 s slots: long conversations have a record in each of five slots
    assertThat(records.stream().mapToLong(r -> Math.floorDiv(r.getStime(), 10_000_000L)).distinct())
        .hasSize(5);
  }

  @Test
  void readsTheCaptureFilesOfADirectoryTreeAndIgnoresOtherFiles(@TempDir Path work)
      throws Exception {
    Path tree = Files.createDirectories(work.resolve("spool/day1"));
    Files.copy(DEMO, tree.resolve("capture-without-extension"));
    Files.writeString(work.resolve("spool/README.txt"), "not a capture");
    Path out = work.resolve("flows.avro");

    assertThat(run("sensor", "-R", work.resolve("spool").toString(), "-w", out.toString()))
        .as(err.toString())
        .isZero();

    assertThat(FlowRecordFiles.read(out).stream().mapToLong(r -> r.getSpkts() + r.getDpkts()).sum())
        .isEqualTo(DEMO_PACKETS);
  }

  /** samples/expected/argus-racluster-flows.txt: proto,saddr,sport,daddr,dport,pkts,bytes. */
  private static Map<String, Long> argusTcpAndUdpTotals() throws Exception {
    Map<String, Long> totals = new HashMap<>();
    Path expected =
        FlowRecordFiles.projectRoot().resolve("samples/expected/argus-racluster-flows.txt");
    for (String line : Files.readAllLines(expected, StandardCharsets.UTF_8)) {
      String[] f = line.split(",");
      if (f[0].equals("tcp") || f[0].equals("udp")) {
        String key = String.join(",", f[0], f[1], f[2], f[3], f[4]);
        totals.put(key + " pkts", Long.parseLong(f[5]));
        totals.put(key + " bytes", Long.parseLong(f[6]));
      }
    }
    assertThat(totals).hasSizeGreaterThan(400);
    return totals;
  }
}

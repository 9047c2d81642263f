package org.argosy.tools.racluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.publish.AvroFileFlowRecordSink;
import org.argosy.tools.DemoFlows;
import org.argosy.tools.io.ContainerFileReader;
import org.argosy.tools.io.FlowFiles;
import org.argosy.tools.rasort.RasortCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * racluster and rasort on the sensor's flows of the bundled capture, against what Argus's own
 * racluster printed for the same capture (samples/expected/argus-racluster-proto-dport.txt).
 */
class RaclusterRasortTest {

  @TempDir static Path dir;
  static Path flows;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void writeFlowFile() throws Exception {
    flows = DemoFlows.write(dir);
  }

  private int run(Object command, String... args) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  /** Argus's (proto, dport) totals; its ICMP rows (one per echo id) summed to our port-less key. */
  private static Map<String, String> argusTotals() throws Exception {
    Map<String, long[]> totals = new LinkedHashMap<>();
    for (String line :
        Files.readAllLines(
            DemoFlows.projectRoot().resolve("samples/expected/argus-racluster-proto-dport.txt"))) {
      if (line.startsWith("#") || line.startsWith("Proto")) {
        continue;
      }
      String[] f = line.split(",");
      String key = f[0] + "," + (f[0].equals("icmp") ? "" : f[1]);
      long[] sum = totals.computeIfAbsent(key, k -> new long[2]);
      sum[0] += Long.parseLong(f[2]);
      sum[1] += Long.parseLong(f[3]);
    }
    Map<String, String> rows = new LinkedHashMap<>();
    totals.forEach((key, sum) -> rows.put(key, sum[0] + "," + sum[1]));
    return rows;
  }

  @Test
  void perKeyTotalsEqualArgusRacluster() throws Exception {
    assertThat(
            run(
                new RaclusterCommand(),
                "-r",
                flows.toString(),
                "-m",
                "proto",
                "dport",
                "-n",
                "-c",
                ",",
                "-s",
                "proto",
                "dport",
                "pkts",
                "bytes"))
        .as("%s", err)
        .isZero();
    Map<String, String> ours = new LinkedHashMap<>();
    for (String line : out.toString().lines().skip(1).toList()) {
      String[] f = line.split(",", -1);
      ours.put(f[0] + "," + f[1], f[2] + "," + f[3]);
    }
    assertThat(ours).containsExactlyInAnyOrderEntriesOf(argusTotals());
  }

  @Test
  void racluster_w_thenRasortIsTheTopDestinationPortsReport() throws Exception {
    Path aggregates = dir.resolve("proto-dport.avro");
    assertThat(
            run(
                new RaclusterCommand(),
                "-r",
                flows.toString(),
                "-w",
                aggregates.toString(),
                "-m",
                "proto",
                "dport"))
        .isZero();
    assertThat(
            run(
                new RasortCommand(),
                "-r",
                aggregates.toString(),
                "-m",
                "bytes",
                "load",
                "-n",
                "-c",
                ",",
                "-s",
                "dport",
                "bytes",
                "-N",
                "10"))
        .as("%s", err)
        .isZero();
    List<String> printed = out.toString().lines().toList();
    List<String> expected =
        argusTotals().entrySet().stream()
            .sorted((a, b) -> Long.compare(bytes(b.getValue()), bytes(a.getValue())))
            .limit(10)
            .map(e -> e.getKey().split(",", -1)[1] + "," + bytes(e.getValue()))
            .toList();
    assertThat(printed.get(0)).isEqualTo("Dport,TotBytes");
    assertThat(printed.subList(1, printed.size())).containsExactlyElementsOf(expected);
  }

  @Test
  void filterAfterTheKeysSelectsBeforeMerging() {
    assertThat(
            run(
                new RaclusterCommand(),
                "-r",
                flows.toString(),
                "-m",
                "daddr",
                "-",
                "src",
                "host",
                "10.77.0.11",
                "and",
                "dst",
                "host",
                "10.77.0.20",
                "-c",
                ","))
        .as("%s", err)
        .isZero();
    List<String> rows = out.toString().lines().toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1)).startsWith("10.77.0.20,");
  }

  @Test
  void usageErrorsNameTheProblem() {
    assertThat(run(new RaclusterCommand(), "-r", flows.toString(), "-m", "dprot")).isEqualTo(2);
    assertThat(err.toString()).contains("'dprot'");
    assertThat(run(new RasortCommand(), "-r", flows.toString(), "-m", "bytez")).isEqualTo(2);
    assertThat(err.toString()).contains("'bytez'");
    assertThat(run(new RasortCommand(), "-m", "bytes")).isEqualTo(2);
    assertThat(err.toString()).contains("-r");
  }

  /**
   * A damaged Avro file read on several threads: cut short, or a block that does not decompress in
   * the middle (found by a worker while the file is still being read), is an error naming the file,
   * never a hang or a table.
   */
  @Test
  void aDamagedFileReadOnSeveralThreadsIsAnErrorNamingIt() throws Exception {
    List<FlowRecord> demo = new ArrayList<>();
    FlowFiles.read(flows.toString(), demo::add);
    Path many = dir.resolve("many-blocks.avro");
    try (AvroFileFlowRecordSink sink = new AvroFileFlowRecordSink(many)) {
      for (int copy = 0; copy < 200; copy++) {
        demo.forEach(record -> sink.send(record, 0));
      }
    }
    List<ContainerFileReader.Block> blocks = new ArrayList<>();
    try (InputStream in = Files.newInputStream(many)) {
      ContainerFileReader reader = new ContainerFileReader(many.toString(), in);
      for (var block = reader.nextBlock(); block != null; block = reader.nextBlock()) {
        blocks.add(block);
      }
    }
    assertThat(blocks).as("blocks for several threads").hasSizeGreaterThan(8);
    assertThat(run(new RaclusterCommand(), "-r", many.toString(), "-m", "proto")).isZero();

    byte[] whole = Files.readAllBytes(many);
    Path cut = dir.resolve("cut.avro");
    Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3));
    err.getBuffer().setLength(0);
    assertThat(run(new RaclusterCommand(), "-r", cut.toString(), "-m", "proto")).isEqualTo(1);
    assertThat(err.toString()).contains(cut.toString()).contains("cut short");

    ContainerFileReader.Block middle = blocks.get(blocks.size() / 2);
    byte[] corrupt = whole.clone();
    // the block's compressed bytes follow its record count and length (two short varints)
    for (int i = 16; i < 48; i++) {
      corrupt[(int) middle.offset() + i] ^= (byte) 0x5a;
    }
    Path garbled = dir.resolve("garbled.avro");
    Files.write(garbled, corrupt);
    err.getBuffer().setLength(0);
    out.getBuffer().setLength(0);
    assertThat(run(new RaclusterCommand(), "-r", garbled.toString(), "-m", "proto")).isEqualTo(1);
    assertThat(err.toString())
        .contains(garbled.toString())
        .contains("block " + (middle.number() + 1));
    assertThat(out.toString()).isEmpty();
  }

  private static long bytes(String pktsAndBytes) {
    return Long.parseLong(pktsAndBytes.split(",")[1]);
  }
}

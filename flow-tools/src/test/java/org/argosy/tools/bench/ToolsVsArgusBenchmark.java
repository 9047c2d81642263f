package org.argosy.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.argosy.query.ProtocolNames;
import org.argosy.sensor.bench.SyntheticCapture;
import org.argosy.tools.DemoFlows;
import org.argosy.tools.io.FlowFiles;
import org.argosy.tools.resident.ResidentClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator tools against Argus's clients and nfdump on the same traffic, in the same run, as a
 * ratio. One synthesized capture of {@value #FLOWS} short TCP conversations (sensor-agent's {@link
 * SyntheticCapture}) is metered three ways: by the sensor into an argosy flow file, by {@code argus
 * -r} into an Argus file, and by {@code nfpcapd -r} into nfdump files (when nfdump is installed).
 * Each command is a whole process on every side (start-up included), timed with bash's {@code
 * time}: best wall time of {@value #RUNS} runs after one warm-up run, with the CPU time (user +
 * sys) beside it. Every answer is checked against the others (bytes and packets per key), so a fast
 * wrong answer fails. Runs only with {@code mvn -Pbench verify -pl flow-tools}.
 *
 * <p>nfdump's flows are unidirectional and count bytes from the IP header: its flow whose key is
 * one of our keys is the source side of our bidirectional record (its bytes plus 14 Ethernet header
 * bytes per packet are our sbytes), and its totals over all flows are our totals.
 */
class ToolsVsArgusBenchmark {

  private static final int FLOWS = 2_000_000;
  private static final int RUNS = 3;

  /** Copies of the input each side reads in the larger comparison, where start-up weighs less. */
  private static final int COPIES = 10;

  private static final long ETHERNET_HEADER = 14;
  private static final String CLIENT = "10.1.2.3";

  /** Our two sides: the sensor's Avro file, and the same records in the columnar file. */
  private static final String AVRO = "argosy-avro";

  private static final String ARROW = "argosy-arrow";

  /** Ours again, each command run by the resident process through its client. */
  private static final String RESIDENT_AVRO = "argosy-resident-avro";

  private static final String RESIDENT_ARROW = "argosy-resident-arrow";

  @TempDir static Path work;
  static Path flows;
  static Path arrowFlows;
  static Path argusFile;
  static Path nfdumpDir;
  static long ourRecords;
  static long argusRecords;
  static long nfdumpRecords;

  /** This test's class path with its class directories in one jar: see {@link #ours}. */
  static String toolsClassPath;

  static Path residentSocket;
  static Process resident;

  @BeforeAll
  static void meterTheCaptureThreeWays() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/argus"))
            && Files.isExecutable(Path.of("/usr/bin/racluster")),
        "argus and argus-client are not installed");
    toolsClassPath = classPathOfJars(work.resolve("tools-classes.jar"));
    Path capture = work.resolve("short-flows.pcap");
    SyntheticCapture.shortFlows(capture, FLOWS);
    flows = DemoFlows.meter(capture, work.resolve("flows.avro"));
    ourRecords = FlowFiles.read(flows.toString(), record -> {});
    arrowFlows = work.resolve("flows.arrow");
    double converted = timed(ours("ra -r " + flows + " -w " + arrowFlows)).wall();
    argusFile = work.resolve("flows.argus");
    shell("argus -r " + capture + " -w " + argusFile);
    argusRecords =
        csvRows(shell("racluster -r " + argusFile + " -m proto -n -c , -s proto trans"), 1)
            .values()
            .stream()
            .mapToLong(values -> values.get(0))
            .sum();
    if (Files.isExecutable(Path.of("/usr/bin/nfpcapd"))) {
      nfdumpDir = Files.createDirectory(work.resolve("nfdump"));
      shell("nfpcapd -r " + capture + " -w " + nfdumpDir);
      String summary = shell("nfdump -R " + nfdumpDir + " -I");
      nfdumpRecords =
          Long.parseLong(
              summary
                  .lines()
                  .filter(l -> l.startsWith("Flows:"))
                  .findFirst()
                  .get()
                  .substring(6)
                  .trim());
    }
    Files.delete(capture);
    startResidentProcess();
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK tools-vs-argus input: %d conversations; argosy %d records (%d MB Avro, %d MB"
            + " Arrow, converted in %.1f s), argus %d records (%d MB), nfdump %s records%n",
        FLOWS,
        ourRecords,
        Files.size(flows) >> 20,
        Files.size(arrowFlows) >> 20,
        converted,
        argusRecords,
        Files.size(argusFile) >> 20,
        nfdumpDir == null ? "not installed, no" : Long.toString(nfdumpRecords));
  }

  /**
   * The resident process as {@code argosy daemon start} runs it (its warm-up on made-up files
   * included), in a JVM of its own; returns once it answers.
   */
  private static void startResidentProcess() throws Exception {
    Path directory =
        Files.createDirectory(
            work.resolve("run"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    residentSocket = directory.resolve("tools.sock");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    resident =
        new ProcessBuilder(
                java,
                "-Xmx3g",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-cp",
                toolsClassPath,
                ToolMain.class.getName(),
                "serve",
                residentSocket.toString())
            .inheritIO()
            .start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (ResidentClient.status(residentSocket) == null) {
      assertThat(resident.isAlive()).as("resident process").isTrue();
      assertThat(System.nanoTime()).as("resident process answers").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stopResidentProcess() throws Exception {
    if (resident != null) {
      ResidentClient.stop(residentSocket);
      assertThat(resident.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }
  }

  @Test
  void raclusterByProtoAndDport() throws Exception {
    racluster("proto dport", "proto,dstport", "%pr,%dp", 1, 1);
  }

  @Test
  void raclusterBySaddr() throws Exception {
    racluster("saddr", "srcip", "%sa", 65_536, 1);
  }

  @Test
  void raclusterBySaddrAndDaddr() throws Exception {
    racluster("saddr daddr", "srcip,dstip", "%sa,%da", 65_536, 1);
  }

  /** The same files read {@value #COPIES} times by every side: start-up is a smaller share. */
  @Test
  void raclusterOnTenTimesTheInput() throws Exception {
    racluster("proto dport", "proto,dstport", "%pr,%dp", 1, COPIES);
    racluster("saddr daddr", "srcip,dstip", "%sa,%da", 65_536, COPIES);
  }

  /**
   * racluster -m KEYS on each side (nfdump -A) over {@code copies} copies of the input, the answers
   * checked key by key. Ours on the Avro file only with one copy (ten take minutes).
   */
  private static void racluster(
      String keys, String nfdumpKeys, String nfdumpFormat, int size, int copies) throws Exception {
    String columns = " -n -c , -s " + keys + " spkts dpkts sbytes dbytes";
    Map<String, String> commands = new LinkedHashMap<>();
    if (copies == 1) {
      commands.put(AVRO, ours("racluster -r " + flows + " -m " + keys + columns));
    }
    commands.put(
        ARROW, ours("racluster" + (" -r " + arrowFlows).repeat(copies) + " -m " + keys + columns));
    if (copies == 1) {
      commands.put(RESIDENT_AVRO, resident("racluster -r " + flows + " -m " + keys + columns));
    }
    commands.put(
        RESIDENT_ARROW,
        resident("racluster" + (" -r " + arrowFlows).repeat(copies) + " -m " + keys + columns));
    commands.put(
        "argus", "racluster -r" + (" " + argusFile).repeat(copies) + " -m " + keys + columns);
    commands.put(
        "nfdump",
        "nfdump -R "
            + nfdumpCopies(copies)
            + " -q -N -A "
            + nfdumpKeys
            + " -o 'fmt:"
            + nfdumpFormat
            + ",%pkt,%byt'");
    Map<String, String> out =
        race("racluster -m " + keys + (copies == 1 ? "" : ", input x" + copies), copies, commands);
    int keyFields = keys.split(" ").length;
    Map<String, List<Long>> ours = csvRows(out.get(ARROW), keyFields);
    assertThat(ours).hasSize(size).isEqualTo(csvRows(out.get("argus"), keyFields));
    if (copies == 1) {
      assertThat(out.get(ARROW)).isEqualTo(out.get(AVRO)).isEqualTo(out.get(RESIDENT_AVRO));
    }
    assertThat(out.get(RESIDENT_ARROW)).isEqualTo(out.get(ARROW));
    checkNfdump(ours, out.get("nfdump"), keyFields, true);
  }

  /** A directory of {@code copies} hard links to nfdump's files, so the page cache holds one. */
  private static Path nfdumpCopies(int copies) throws IOException {
    if (nfdumpDir == null || copies == 1) {
      return nfdumpDir;
    }
    Path dir = work.resolve("nfdump-x" + copies);
    if (!Files.isDirectory(dir)) {
      // one sub-directory per copy, the files keeping the names nfpcapd gave them
      for (int i = 0; i < copies; i++) {
        Path copy = Files.createDirectories(dir.resolve("copy-" + i));
        for (Path file : FlowFiles.under(nfdumpDir)) {
          Files.createLink(copy.resolve(file.getFileName()), file);
        }
      }
    }
    return dir;
  }

  @Test
  void topTenSourcesByBytes() throws Exception {
    String sort = " -m bytes -n -c , -s saddr bytes | head -n11"; // header and ten rows
    Map<String, String> commands = new LinkedHashMap<>();
    for (Map.Entry<String, Path> file : Map.of(AVRO, flows, ARROW, arrowFlows).entrySet()) {
      commands.put(
          file.getKey(),
          ours("racluster -r " + file.getValue() + " -w - -m saddr")
              + " | "
              + ours("rasort -r -" + sort));
    }
    commands.put(
        RESIDENT_ARROW,
        resident("racluster -r " + arrowFlows + " -w - -m saddr")
            + " | "
            + resident("rasort -r -" + sort));
    commands.put("argus", "racluster -r " + argusFile + " -w - -m saddr | rasort" + sort);
    commands.put("nfdump", "nfdump -R " + nfdumpDir + " -q -N -s srcip/bytes -n 10 -o csv");
    Map<String, String> out = race("racluster -w - -m saddr | rasort -m bytes | head", 1, commands);
    assertThat(out.get(ARROW)).isEqualTo(out.get(AVRO)).isEqualTo(out.get(RESIDENT_ARROW));
    // the whole answer, untimed, to check the top ten against
    Map<String, List<Long>> all =
        csvRows(
            shell(
                "racluster -r "
                    + argusFile
                    + " -m saddr -n -c , -s saddr spkts dpkts sbytes dbytes"),
            1);
    List<String[]> ours = fields(out.get(ARROW));
    List<String[]> argus = fields(out.get("argus"));
    assertThat(ours).hasSize(10);
    // equal bytes may come in any order: the same ten byte counts, each its source's true total
    assertThat(ours.stream().map(row -> row[1]).toList())
        .isEqualTo(argus.stream().map(row -> row[1]).toList());
    for (String[] row : ours) {
      List<Long> truth = all.get(row[0]);
      assertThat(Long.parseLong(row[1])).as(row[0]).isEqualTo(truth.get(2) + truth.get(3));
    }
    if (nfdumpDir != null) {
      // csv: ts,te,td,pr,val,fl,flP,pkt,pktP,byt,...; the server is the top source of its flows
      List<String[]> nfdump = fields(out.get("nfdump"));
      assertThat(nfdump).hasSize(10);
      long serverBytes = all.values().stream().mapToLong(v -> v.get(3)).sum();
      long serverPkts = all.values().stream().mapToLong(v -> v.get(1)).sum();
      for (String[] row : nfdump) {
        List<Long> truth = all.get(row[4]);
        long pkts = Long.parseLong(row[7]);
        long wireBytes = Long.parseLong(row[9]) + ETHERNET_HEADER * pkts;
        assertThat(List.of(pkts, wireBytes))
            .as(row[4])
            .isEqualTo(
                truth == null
                    ? List.of(serverPkts, serverBytes)
                    : List.of(truth.get(0), truth.get(2)));
      }
    }
  }

  @Test
  void raWithAFilter() throws Exception {
    String columns = " -n -c , -s saddr sport dport spkts dpkts sbytes dbytes - src host " + CLIENT;
    Map<String, String> commands = new LinkedHashMap<>();
    commands.put(AVRO, ours("ra -r " + flows + columns));
    commands.put(ARROW, ours("ra -r " + arrowFlows + columns));
    commands.put(RESIDENT_AVRO, resident("ra -r " + flows + columns));
    commands.put(RESIDENT_ARROW, resident("ra -r " + arrowFlows + columns));
    commands.put("argus", "ra -r " + argusFile + columns);
    commands.put(
        "nfdump",
        "nfdump -R " + nfdumpDir + " -q -N -o 'fmt:%sa,%sp,%dp,%pkt,%byt' 'src ip " + CLIENT + "'");
    Map<String, String> out = race("ra - src host " + CLIENT, 1, commands);
    assertThat(out.get(ARROW))
        .isEqualTo(out.get(AVRO))
        .isEqualTo(out.get(RESIDENT_AVRO))
        .isEqualTo(out.get(RESIDENT_ARROW));
    // a conversation our sensor cut at a status-interval boundary is two records: sum per key
    Map<String, List<Long>> ours = csvRows(out.get(ARROW), 3);
    assertThat(ours).hasSize(FLOWS / 65_536 + 1).isEqualTo(csvRows(out.get("argus"), 3));
    checkNfdump(ours, out.get("nfdump"), 3, false);
  }

  /**
   * Each nfdump flow whose key is one of ours is the source side of our record; with {@code whole},
   * the sums over every flow are our sums over both sides.
   */
  private static void checkNfdump(
      Map<String, List<Long>> ours, String nfdumpOutput, int keyFields, boolean whole) {
    if (nfdumpDir == null) {
      return;
    }
    Map<String, List<Long>> nfdump = csvRows(nfdumpOutput, keyFields);
    if (!whole) {
      assertThat(nfdump.keySet()).isEqualTo(ours.keySet());
    }
    ours.forEach(
        (key, counters) -> {
          List<Long> theirs = nfdump.get(key);
          assertThat(theirs).as(key).isNotNull();
          assertThat(List.of(theirs.get(0), theirs.get(1) + ETHERNET_HEADER * theirs.get(0)))
              .as(key)
              .isEqualTo(List.of(counters.get(0), counters.get(2)));
        });
    if (whole) {
      long pkts = nfdump.values().stream().mapToLong(v -> v.get(0)).sum();
      long bytes = nfdump.values().stream().mapToLong(v -> v.get(1)).sum();
      assertThat(List.of(pkts, bytes + ETHERNET_HEADER * pkts))
          .isEqualTo(
              List.of(
                  ours.values().stream().mapToLong(v -> v.get(0) + v.get(1)).sum(),
                  ours.values().stream().mapToLong(v -> v.get(2) + v.get(3)).sum()));
    }
  }

  /**
   * The class path of this test with its directories (the modules' classes) packed into {@code
   * jar}: class-data sharing takes classes from jars only, as {@code ./argosy}'s class path has
   * them.
   */
  private static String classPathOfJars(Path jar) throws Exception {
    List<String> jarCommand =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "jar").toString(),
                "--create",
                "--file",
                jar.toString()));
    List<String> entries = new ArrayList<>(List.of(jar.toString()));
    for (String entry : System.getProperty("java.class.path").split(":")) {
      if (entry.isEmpty()) {
        continue;
      }
      if (Files.isDirectory(Path.of(entry))) {
        jarCommand.addAll(List.of("-C", entry, "."));
      } else {
        entries.add(entry);
      }
    }
    Process process = new ProcessBuilder(jarCommand).inheritIO().start();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("%s", jarCommand).isZero();
    return String.join(":", entries);
  }

  /**
   * Our command line for {@code tool} as {@code ./argosy} runs it: the tool's first run (the
   * warm-up) records its classes in an archive, later runs map it (class-data sharing), JVM logging
   * on stderr.
   */
  private static String ours(String tool) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path archive = work.resolve(tool.substring(0, tool.indexOf(' ')) + ".jsa");
    // Arrow's memory reads direct buffers' addresses, as in ./argosy
    String jvm =
        java
            + " -Xmx3g --add-opens=java.base/java.nio=ALL-UNNAMED"
            + " -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr -cp "
            + toolsClassPath;
    String main = " " + ToolMain.class.getName() + " " + tool;
    return String.format(
        "if [ -f %1$s ]; then %2$s -XX:SharedArchiveFile=%1$s%3$s;"
            + " else %2$s -XX:ArchiveClassesAtExit=%1$s%3$s; fi",
        archive, jvm, main);
  }

  /**
   * Our command line for {@code tool} run by the resident process, as {@code ./argosy} runs it
   * while {@code argosy daemon} runs: its client in a small JVM of its own.
   */
  private static String resident(String tool) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String clientJar = toolsClassPath.substring(0, toolsClassPath.indexOf(':'));
    return java
        + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable"
        + " -Xlog:all=warning:stderr -cp "
        + clientJar
        + " "
        + ResidentClient.class.getName()
        + " "
        + residentSocket
        + " "
        + tool;
  }

  /** One timed run of a shell command line: wall and CPU seconds, and what it printed. */
  private record Run(double wall, double cpu, String output) {
    Run withCpu(double cpu) {
      return new Run(wall, cpu, output);
    }
  }

  /** The CPU time the resident process has used, all its threads. */
  private static double residentCpuSeconds() {
    return resident.toHandle().info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
  }

  /**
   * Runs each side's command line once to warm up and then {@value #RUNS} times ({@code copies} >
   * 1: once), the sides taking turns; prints a BENCHMARK line with each side's records/s over
   * {@code copies} times its input and its time against ours on the columnar file, and returns each
   * side's output of its last run. nfdump's side is left out when it is not installed.
   */
  private static Map<String, String> race(String name, int copies, Map<String, String> commands)
      throws Exception {
    if (nfdumpDir == null) {
      commands.remove("nfdump");
    }
    int runs = copies == 1 ? RUNS : 1;
    Map<String, List<Run>> timings = new LinkedHashMap<>();
    for (int run = -1; run < runs; run++) {
      for (Map.Entry<String, String> side : commands.entrySet()) {
        boolean inResident = side.getKey().startsWith("argosy-resident");
        double residentCpu = inResident ? residentCpuSeconds() : 0;
        Run timed = timed(side.getValue());
        if (inResident) {
          // the client's CPU and the resident process's for the command
          timed = timed.withCpu(timed.cpu() + residentCpuSeconds() - residentCpu);
        }
        if (run >= 0) {
          timings.computeIfAbsent(side.getKey(), k -> new ArrayList<>()).add(timed);
        }
      }
    }
    Map<String, Long> records =
        Map.of(
            AVRO,
            ourRecords,
            ARROW,
            ourRecords,
            RESIDENT_AVRO,
            ourRecords,
            RESIDENT_ARROW,
            ourRecords,
            "argus",
            argusRecords,
            "nfdump",
            nfdumpRecords);
    double oursBest = best(timings.get(ARROW));
    StringBuilder line =
        new StringBuilder(
            String.format(Locale.ROOT, "%nBENCHMARK tools-vs-argus %s: best of %d", name, runs));
    for (Map.Entry<String, List<Run>> side : timings.entrySet()) {
      double wall = best(side.getValue());
      double cpu = side.getValue().stream().mapToDouble(Run::cpu).min().getAsDouble();
      line.append(
          String.format(
              Locale.ROOT,
              "; %s %.3f s (%.0f records/s, cpu %.3f s)%s",
              side.getKey(),
              wall,
              records.get(side.getKey()) * copies / wall,
              cpu,
              side.getKey().equals(ARROW)
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      ", %s time / %s time = %.2f",
                      side.getKey(),
                      ARROW,
                      wall / oursBest)));
      if (side.getKey().startsWith("argosy-resident") && timings.containsKey("nfdump")) {
        line.append(
            String.format(
                Locale.ROOT,
                ", nfdump time / %s time = %.2f",
                side.getKey(),
                best(timings.get("nfdump")) / wall));
      }
    }
    System.out.println(line);
    Map<String, String> outputs = new LinkedHashMap<>();
    timings.forEach((side, list) -> outputs.put(side, list.get(list.size() - 1).output()));
    return outputs;
  }

  private static double best(List<Run> runs) {
    return runs.stream().mapToDouble(Run::wall).min().getAsDouble();
  }

  private static Run timed(String commandLine) throws Exception {
    Path out = work.resolve("out.txt");
    Path times = work.resolve("time.txt");
    String script =
        "TIMEFORMAT='%R %U %S'; { time ( "
            + commandLine
            + " ) < /dev/null > "
            + out
            + " ; } 2> "
            + times;
    Process process = new ProcessBuilder("bash", "-c", script).inheritIO().start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    List<String> timeLines = Files.readAllLines(times);
    assertThat(process.exitValue()).as("%s: %s", commandLine, timeLines).isZero();
    double[] t =
        Arrays.stream(timeLines.get(timeLines.size() - 1).split(" "))
            .mapToDouble(Double::parseDouble)
            .toArray();
    return new Run(t[0], t[1] + t[2], Files.readString(out));
  }

  private static String shell(String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }

  /** The comma-separated data rows (header and blank lines left out), fields trimmed. */
  private static List<String[]> fields(String output) {
    return output
        .lines()
        .map(line -> Arrays.stream(line.split(",")).map(String::trim).toArray(String[]::new))
        .filter(row -> row.length > 1 && row[row.length - 1].matches("\\d+"))
        .toList();
  }

  /**
   * Rows keyed by their first {@code keyFields} fields, the rest as numbers, summed over rows of
   * the same key. A number as the first key field is a protocol (nfdump -N prints 6), named as
   * Argus names it (tcp).
   */
  private static Map<String, List<Long>> csvRows(String output, int keyFields) {
    Map<String, List<Long>> rows = new LinkedHashMap<>();
    for (String[] row : fields(output)) {
      String key =
          IntStream.range(0, keyFields)
              .mapToObj(i -> i == 0 && row[i].matches("\\d+") ? protocol(row[i]) : row[i])
              .collect(Collectors.joining(" "));
      List<Long> values = Arrays.stream(row, keyFields, row.length).map(Long::parseLong).toList();
      rows.merge(
          key,
          values,
          (a, b) -> {
            List<Long> sum = new ArrayList<>(a);
            for (int i = 0; i < sum.size(); i++) {
              sum.set(i, sum.get(i) + b.get(i));
            }
            return sum;
          });
    }
    return rows;
  }

  private static String protocol(String number) {
    return ProtocolNames.name(Integer.parseInt(number));
  }
}

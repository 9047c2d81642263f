package org.argosy.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.report.ArgusTools;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportOutput;
import org.argosy.query.report.ReportWindow;

/**
 * What the report job benchmarks share: the racluster side of a comparison (Argus's records of the
 * bundled capture, the file repeated to a record count, and a timed {@code racluster -m KEYS}), the
 * benchmark's report, and the check that a ranking counted every record.
 *
 * @param argusFile Argus's records of {@code samples/demo.pcap}, the file repeated
 * @param records the records in {@code argusFile}
 */
record RaclusterBaseline(Path argusFile, long records) {

  /**
   * Runs {@code argus -r samples/demo.pcap} into {@code work} and repeats its output as many whole
   * times as fit in {@code targetRecords}.
   */
  static RaclusterBaseline prepare(Path work, long targetRecords) throws Exception {
    Path capture = ArgusTools.projectRoot().resolve("samples/demo.pcap");
    Path argusOnce = ArgusTools.argus(work, capture);
    long perCopy = countArgusRecords(argusOnce);
    int copies = (int) (targetRecords / perCopy);
    Path argusMany = work.resolve("many.argus");
    try (OutputStream out = Files.newOutputStream(argusMany)) {
      byte[] once = Files.readAllBytes(argusOnce);
      for (int i = 0; i < copies; i++) {
        out.write(once);
      }
    }
    return new RaclusterBaseline(argusMany, perCopy * copies);
  }

  /** The sensor's records of the bundled capture, the records the job side cycles through. */
  static List<FlowRecord> sensorRecords() throws Exception {
    return ArgusTools.meterWithTheSensor(ArgusTools.projectRoot().resolve("samples/demo.pcap"));
  }

  /** A whole {@code racluster -r FILE -m KEYS -w FILE} process, start-up included: seconds. */
  double run(String keys) throws Exception {
    List<String> command = new ArrayList<>(List.of("racluster", "-r", argusFile.toString(), "-m"));
    command.addAll(Arrays.asList(keys.split(" ")));
    command.addAll(List.of("-w", argusFile.resolveSibling("out.argus").toString()));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).isZero();
    return (System.nanoTime() - start) / 1e9;
  }

  /** A timed run of the job side: wall-clock seconds. */
  interface TimedRun {
    double seconds() throws Exception;
  }

  /**
   * Times {@code job} ({@code jobRecords} records) and {@code racluster -m KEYS} alternately: one
   * warm-up run of each, then {@code runs} of each; wall-clock and {@link CpuTime} seconds.
   *
   * @return the medians, records/s and the ratio job records/s / racluster records/s, and the same
   *     for CPU time, as text
   */
  String compare(String keys, int runs, long jobRecords, TimedRun job) throws Exception {
    double[] ours = new double[runs];
    double[] theirs = new double[runs];
    double[] ourCpu = new double[runs];
    double[] theirCpu = new double[runs];
    for (int i = -1; i < runs; i++) { // run -1 warms up both
      double cpu = CpuTime.seconds();
      double ourSeconds = job.seconds();
      double ourCpuSeconds = CpuTime.seconds() - cpu;
      cpu = CpuTime.seconds();
      double theirSeconds = run(keys);
      double theirCpuSeconds = CpuTime.seconds() - cpu;
      System.out.printf(
          Locale.ROOT,
          "run %d -m %s: job %.3f s (CPU %.2f s), racluster %.3f s (CPU %.2f s)%n",
          i,
          keys,
          ourSeconds,
          ourCpuSeconds,
          theirSeconds,
          theirCpuSeconds);
      if (i >= 0) {
        ours[i] = ourSeconds;
        theirs[i] = theirSeconds;
        ourCpu[i] = ourCpuSeconds;
        theirCpu[i] = theirCpuSeconds;
      }
    }
    double ourRate = jobRecords / median(ours);
    double theirRate = records / median(theirs);
    double ourCpuRate = jobRecords / median(ourCpu);
    double theirCpuRate = records / median(theirCpu);
    return String.format(
        Locale.ROOT,
        "median of %d runs: report job %d records in %.3f s (%.0f records/s); racluster %d records"
            + " in %.3f s (%.0f records/s); job records/s / racluster records/s = %.2f; CPU time"
            + " (job: its JVM and the broker's): job %.2f s (%.0f records per CPU second),"
            + " racluster %.2f s (%.0f records per CPU second), ratio %.2f",
        runs,
        jobRecords,
        median(ours),
        ourRate,
        records,
        median(theirs),
        theirRate,
        ourRate / theirRate,
        median(ourCpu),
        ourCpuRate,
        median(theirCpu),
        theirCpuRate,
        ourCpuRate / theirCpuRate);
  }

  /** One report: every record, cluster keys {@code keys}, top {@code n} by bytes and load. */
  static ReportDefinition report(String name, String keys, Duration window, int n) {
    ClusterKeySpec clusterKey = ClusterKeySpec.parse(keys);
    return new ReportDefinition(
        name,
        FlowFilter.all(),
        clusterKey,
        ReportWindow.tumbling(window),
        RankingOrder.parse(List.of("bytes", "load")),
        n,
        ReportDefinition.defaultFields(clusterKey),
        EnumSet.of(ReportOutput.TOPN));
  }

  /**
   * The one ranking holds, for each of its keys, every record of that key among {@code count}
   * records cycling through {@code base} ({@code count} a multiple of its size): nothing was lost
   * or counted twice.
   */
  static void assertEveryRecordCounted(
      List<TopNRanking> rankings, List<FlowRecord> base, long count, ClusterKeySpec clusterKey) {
    Map<String, Long> perKey = new HashMap<>();
    base.forEach(r -> perKey.merge(clusterKey.keyOf(r), count / base.size(), Long::sum));
    assertThat(rankings)
        .singleElement()
        .satisfies(
            ranking -> {
              assertThat(ranking.getKeyCount()).isEqualTo(perKey.size());
              assertThat(ranking.getRows()).isNotEmpty();
              for (FlowAggregate row : ranking.getRows()) {
                String key = keyOf(row);
                assertThat(row.getTrans()).as(key).isEqualTo(perKey.get(key));
              }
            });
  }

  /** An aggregate's cluster key values as {@link ClusterKeySpec#keyOf} joins them. */
  static String keyOf(FlowAggregate row) {
    return String.join("\u001f", row.getKey().stream().map(KeyField::getValue).toList());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long countArgusRecords(Path argusFile) throws Exception {
    Process process =
        new ProcessBuilder("ra", "-r", argusFile.toString(), "-n", "-s", "proto").start();
    long lines = new String(process.getInputStream().readAllBytes()).lines().count() - 1;
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    return lines;
  }
}

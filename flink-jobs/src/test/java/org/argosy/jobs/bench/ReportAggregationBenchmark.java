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
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.report.ArgusTools;
import org.argosy.jobs.report.ReportJob;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportOutput;
import org.argosy.query.report.ReportWindow;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records/s through the report job's aggregation and ranking (filter, keyBy, day window with the
 * racluster merge, partial and merged top 10) at parallelism 2, against {@code racluster -m KEYS}
 * reading Argus's records of the same traffic, in the same run, as a ratio. Both sides get the
 * bundled capture's records repeated to about {@value #TARGET_RECORDS} records. Runs only with
 * {@code mvn -Pbench verify -pl flink-jobs}.
 */
class ReportAggregationBenchmark {

  private static final long TARGET_RECORDS = 3_000_000;
  private static final int RUNS = 3;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir static Path work;

  @ParameterizedTest(name = "-m {0}")
  @ValueSource(strings = {"proto dport", "saddr daddr"})
  void reportJobAgainstRacluster(String keys) throws Exception {
    Assumptions.assumeTrue(ArgusTools.installed(), "argus is not installed");
    Path capture = ArgusTools.projectRoot().resolve("samples/demo.pcap");
    List<FlowRecord> base = ArgusTools.meterWithTheSensor(capture);
    long ourRecords = (TARGET_RECORDS / base.size()) * base.size();

    Path argusOnce = ArgusTools.argus(work, capture);
    long argusPerCopy = countArgusRecords(argusOnce);
    int copies = (int) (TARGET_RECORDS / argusPerCopy);
    Path argusMany = work.resolve("many.argus");
    try (OutputStream out = Files.newOutputStream(argusMany)) {
      byte[] once = Files.readAllBytes(argusOnce);
      for (int i = 0; i < copies; i++) {
        out.write(once);
      }
    }
    long argusRecords = argusPerCopy * copies;

    double[] ours = new double[RUNS];
    double[] racluster = new double[RUNS];
    for (int run = -1; run < RUNS; run++) { // run -1 warms up both
      double ourSeconds = runJob(base, ourRecords, keys);
      double theirSeconds = runRacluster(argusMany, keys);
      if (run >= 0) {
        ours[run] = ourSeconds;
        racluster[run] = theirSeconds;
      }
    }
    double ourRate = ourRecords / median(ours);
    double theirRate = argusRecords / median(racluster);
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK report-job-vs-racluster -m %s: median of %d runs: report job %d records in"
            + " %.3f s (%.0f records/s, parallelism 2); racluster %d records in %.3f s (%.0f"
            + " records/s); job records/s / racluster records/s = %.2f%n",
        keys,
        RUNS,
        ourRecords,
        median(ours),
        ourRate,
        argusRecords,
        median(racluster),
        theirRate,
        ourRate / theirRate);
  }

  /** The whole job over {@code count} records cycling through {@code base}; wall-clock seconds. */
  private static double runJob(List<FlowRecord> base, long count, String keys) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    ReportJob.enableObjectReuse(env);
    ClusterKeySpec clusterKey = ClusterKeySpec.parse(keys);
    ReportDefinition report =
        new ReportDefinition(
            "bench",
            FlowFilter.all(),
            clusterKey,
            ReportWindow.tumbling(Duration.ofDays(1)),
            RankingOrder.parse(List.of("bytes", "load")),
            10,
            ReportDefinition.defaultFields(clusterKey),
            EnumSet.of(ReportOutput.TOPN));
    DataStream<FlowRecord> flows =
        env.fromSequence(0, count - 1)
            .map(new Cycle(new ArrayList<>(base)))
            .assignTimestampsAndWatermarks(
                ReportJob.watermarks(Duration.ofMinutes(1), Duration.ofSeconds(5)));
    long start = System.nanoTime();
    List<TopNRanking> rankings =
        ReportJob.reports(flows, List.of(report), 16)
            .rankings()
            .orElseThrow()
            .executeAndCollect(10);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEveryRecordCounted(rankings, base, count, clusterKey);
    return seconds;
  }

  /** The one ranking holds, for each of its keys, every record of that key: nothing was lost. */
  private static void assertEveryRecordCounted(
      List<TopNRanking> rankings, List<FlowRecord> base, long count, ClusterKeySpec clusterKey) {
    Map<String, Long> perKey = new HashMap<>();
    base.forEach(r -> perKey.merge(clusterKey.keyOf(r), count / base.size(), Long::sum));
    assertThat(rankings)
        .singleElement()
        .satisfies(
            ranking -> {
              assertThat(ranking.getKeyCount()).isEqualTo(perKey.size());
              for (FlowAggregate row : ranking.getRows()) {
                String key =
                    String.join("\u001f", row.getKey().stream().map(KeyField::getValue).toList());
                assertThat(row.getTrans()).as(key).isEqualTo(perKey.get(key));
              }
            });
  }

  /** Record {@code i} is {@code base[i mod n]}: the capture's records over and over. */
  private static final class Cycle implements MapFunction<Long, FlowRecord> {
    private final ArrayList<FlowRecord> base;

    Cycle(ArrayList<FlowRecord> base) {
      this.base = base;
    }

    @Override
    public FlowRecord map(Long i) {
      return base.get((int) (i % base.size()));
    }
  }

  private static double runRacluster(Path argusFile, String keys) throws Exception {
    List<String> command = new ArrayList<>(List.of("racluster", "-r", argusFile.toString(), "-m"));
    command.addAll(Arrays.asList(keys.split(" ")));
    command.addAll(List.of("-w", work.resolve("out.argus").toString()));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).isZero();
    return (System.nanoTime() - start) / 1e9;
  }

  private static long countArgusRecords(Path argusFile) throws Exception {
    Process process =
        new ProcessBuilder("ra", "-r", argusFile.toString(), "-n", "-s", "proto").start();
    long lines = new String(process.getInputStream().readAllBytes()).lines().count() - 1;
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    return lines;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}

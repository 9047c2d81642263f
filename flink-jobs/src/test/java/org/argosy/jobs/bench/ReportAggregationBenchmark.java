package org.argosy.jobs.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.report.ArgusTools;
import org.argosy.jobs.report.ReportJob;
import org.argosy.query.report.ReportDefinition;
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

  @RegisterExtension static final MiniClusterExtension FLINK = ReportOnKafka.miniCluster();

  @TempDir static Path work;

  @ParameterizedTest(name = "-m {0}")
  @ValueSource(strings = {"proto dport", "saddr daddr"})
  void reportJobAgainstRacluster(String keys) throws Exception {
    Assumptions.assumeTrue(ArgusTools.installed(), "argus is not installed");
    List<FlowRecord> base = RaclusterBaseline.sensorRecords();
    long ourRecords = (TARGET_RECORDS / base.size()) * base.size();
    RaclusterBaseline racluster = RaclusterBaseline.prepare(work, TARGET_RECORDS);

    String comparison =
        racluster.compare(keys, RUNS, ourRecords, () -> runJob(base, ourRecords, keys));
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK report-job-vs-racluster -m %s (parallelism 2, no Kafka): %s%n",
        keys,
        comparison);
  }

  /** The whole job over {@code count} records cycling through {@code base}; wall-clock seconds. */
  private static double runJob(List<FlowRecord> base, long count, String keys) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    ReportJob.enableObjectReuse(env);
    ReportDefinition report = RaclusterBaseline.report("bench", keys, Duration.ofDays(1), 10);
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
    RaclusterBaseline.assertEveryRecordCounted(rankings, base, count, report.clusterKey());
    return seconds;
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
}

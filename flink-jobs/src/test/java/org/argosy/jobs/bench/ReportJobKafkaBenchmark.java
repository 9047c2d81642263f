package org.argosy.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.kafka.FlowRecordDeserializer;
import org.argosy.jobs.kafka.FlowTopics;
import org.argosy.jobs.report.ArgusTools;
import org.argosy.jobs.report.ReportJob;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.jobs.source.FlowPlausibility;
import org.argosy.jobs.source.FlowStreams;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.KafkaBroker;
import org.argosy.query.report.ReportDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report job through a real broker (KRaft, a child JVM on 127.0.0.1, on the same cores): the
 * {@code FlowTopics} source, Avro decoding, the job at parallelism 2 and exactly-once Kafka sinks
 * committing at checkpoints.
 *
 * <ul>
 *   <li>Throughput: the bundled capture's records cycled to about 2,000,000 records (or {@code
 *       -Dbench.records=N}) on topic {@code flows} ({@value #FLOW_PARTITIONS} partitions, written
 *       before timing), read by a job bounded at the offsets present at its start, against {@code
 *       racluster -m KEYS} on Argus's records of the same traffic, in the same run, as a ratio; the
 *       committed ranking must count every record.
 *   <li>Latency: a live run with records stamped with the current time at a steady rate, 1 s
 *       windows; from the watermark passing a window's end (window end plus the out-of-orderness
 *       bound, in wall-clock time) to the window's ranking being readable under read_committed.
 * </ul>
 *
 * Runs only with {@code mvn -Pbench verify -pl flink-jobs -Dtest=ReportJobKafkaBenchmark}.
 */
class ReportJobKafkaBenchmark {

  /** 2M by default; {@code -Dbench.records=N} for a run long enough to hide start-up and stop. */
  private static final long TARGET_RECORDS = Long.getLong("bench.records", 2_000_000);

  private static final int FLOW_PARTITIONS = 4;
  private static final int RUNS = 3;

  private static final Duration LIVE_WINDOW = Duration.ofSeconds(1);
  private static final Duration LIVE_OUT_OF_ORDERNESS = Duration.ofMillis(200);
  private static final Duration LIVE_CHECKPOINTS =
      Duration.ofMillis(Long.getLong("bench.checkpoint.ms", 300));
  private static final long LIVE_SECONDS = Long.getLong("bench.live.seconds", 75);
  private static final long LIVE_WARMUP_SECONDS = 15;
  private static final int LIVE_RECORDS_PER_SECOND = 4_000;
  private static final int LIVE_PARTITIONS = 2;

  @RegisterExtension static final MiniClusterExtension FLINK = ReportOnKafka.miniCluster();

  @TempDir static Path work;

  private static KafkaBroker broker;
  private static ReportOnKafka kafka;
  private static List<FlowRecord> base;
  private static RaclusterBaseline racluster;
  private static int jobRuns;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedKafka.builder().startRestartable();
    kafka = new ReportOnKafka(broker);
    base = RaclusterBaseline.sensorRecords();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @ParameterizedTest(name = "-m {0}")
  @ValueSource(strings = {"proto dport", "saddr daddr"})
  void kafkaToJobToKafkaAgainstRacluster(String keys) throws Exception {
    long records = flowsOnce();
    String flows = "flows";
    String comparison = racluster.compare(keys, RUNS, records, () -> runJob(keys, flows, records));
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK report-job-kafka-vs-racluster -m %s (Kafka -> job -> Kafka, parallelism 2,"
            + " %d partitions, exactly-once, checkpoints every 1 s): %s%n",
        keys,
        FLOW_PARTITIONS,
        comparison);
  }

  /**
   * The part of a run that does not grow with the records (job start-up, partition discovery, the
   * final checkpoint that commits the output, shut-down): the same job over one copy of the
   * capture's records, median of {@value #RUNS} runs after a warm-up.
   */
  @Test
  void jobOnATinyTopic() throws Exception {
    String flows = "flows-tiny";
    long records = base.size();
    kafka.produce(flows, FLOW_PARTITIONS, records, i -> base.get((int) i));
    double[] seconds = new double[RUNS];
    for (int run = -1; run < RUNS; run++) {
      double took = runJob("proto dport", flows, records);
      System.out.printf(Locale.ROOT, "tiny topic run %d: %.3f s%n", run, took);
      if (run >= 0) {
        seconds[run] = took;
      }
    }
    Arrays.sort(seconds);
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK report-job-kafka-tiny: the job of kafkaToJobToKafkaAgainstRacluster (-m proto"
            + " dport) over %d records: median of %d runs %.3f s%n",
        records,
        RUNS,
        seconds[RUNS / 2]);
  }

  /**
   * Topic {@code flows} with the capture's records cycled to about {@link #TARGET_RECORDS}, and the
   * racluster side, made by the first test that needs them; returns the record count.
   */
  private static long flowsOnce() throws Exception {
    Assumptions.assumeTrue(ArgusTools.installed(), "argus is not installed");
    long records = (TARGET_RECORDS / base.size()) * base.size();
    if (racluster == null) {
      kafka.produce("flows", FLOW_PARTITIONS, records, i -> base.get((int) (i % base.size())));
      racluster = RaclusterBaseline.prepare(work, TARGET_RECORDS);
    }
    return records;
  }

  /**
   * The job over {@code flows} to the offsets present at its start into topics of its own; checks
   * that the committed ranking counted each of the {@code records}; wall-clock seconds of the job.
   */
  private static double runJob(String keys, String flows, long records) throws Exception {
    String name = keys.replace(' ', '-') + "-run" + ++jobRuns;
    ReportDefinition report = RaclusterBaseline.report("bench", keys, Duration.ofDays(1), 10);
    ReportJobOptions options = replayOptions();
    StreamExecutionEnvironment env = ReportOnKafka.environment(options);
    kafka.addReportJob(env, name, flows, true, List.of(report), options);
    long start = System.nanoTime();
    env.execute(name);
    double seconds = (System.nanoTime() - start) / 1e9;
    RaclusterBaseline.assertEveryRecordCounted(
        kafka.committedRankings(name), base, records, report.clusterKey());
    kafka.assertNothingLateOrDead(name);
    return seconds;
  }

  /**
   * Out-of-orderness above the capture's 44 s, so the cycled records are never late; checkpoints
   * (and so commits) every second.
   */
  private static ReportJobOptions replayOptions() {
    return ReportJobOptions.builder()
        .maxOutOfOrderness(Duration.ofMinutes(1))
        .checkpointInterval(Duration.ofSeconds(1))
        .build();
  }

  /**
   * The floor under the throughput: the same source (Kafka, decoding, plausibility, watermarks) at
   * parallelism 2 into a discarding sink, no report, median of {@value #RUNS} runs after a warm-up;
   * then its parts on one thread each: fetching without decoding, and decoding records in memory,
   * with Avro's {@code BinaryMessageDecoder} (what the codec used before 2026-11-30) beside the
   * source's deserializer.
   */
  @Test
  void sourceAloneOnTheSameTopic() throws Exception {
    long records = flowsOnce();
    String flows = "flows";
    double[] seconds = new double[RUNS];
    for (int run = -1; run < RUNS; run++) {
      ReportJobOptions options = replayOptions();
      StreamExecutionEnvironment env = ReportOnKafka.environment(options);
      // As in the report job: chained operators pass records on without copying them.
      ReportJob.enableObjectReuse(env);
      FlowStreams.from(
              env,
              FlowTopics.flowSource(
                  broker.bootstrapServers(), flows, "source-alone-" + run, true, Map.of()),
              ReportJob.watermarks(options))
          .flows()
          .sinkTo(new DiscardingSink<>());
      long start = System.nanoTime();
      env.execute("source alone " + run);
      double took = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "source alone run %d: %.3f s%n", run, took);
      if (run >= 0) {
        seconds[run] = took;
      }
    }
    Arrays.sort(seconds);
    double median = seconds[RUNS / 2];
    double consumerSeconds = consumeAlone(flows, records);
    List<ConsumerRecord<byte[], byte[]>> messages = new ArrayList<>();
    for (FlowRecord record : base) {
      messages.add(
          new ConsumerRecord<>(
              "flows", 0, 0, null, ReportOnKafka.message("flows", 0, record).value()));
    }
    long now = System.currentTimeMillis() * 1000;
    FlowRecordDeserializer deserializer = new FlowRecordDeserializer();
    BinaryMessageDecoder<FlowRecord> avro =
        new BinaryMessageDecoder<>(
            SpecificData.getForClass(FlowRecord.class), FlowRecord.getClassSchema());
    Decode avroDecoder =
        i ->
            FlowPlausibility.violation(avro.decode(messages.get(i % messages.size()).value()), now)
                == null;
    Decode sourceDeserializer =
        i -> deserializer.decode(messages.get(i % messages.size()), now).isFlow();
    // Alternately, so that both see the same load; the second round is timed.
    DecodeTime avroTime = null;
    DecodeTime deserializerTime = null;
    for (int round = 0; round < 2; round++) {
      avroTime = decodeAlone(records, avroDecoder);
      deserializerTime = decodeAlone(records, sourceDeserializer);
    }
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK report-job-kafka-source-alone: median of %d runs: %d records read and decoded"
            + " from %d partitions at parallelism 2 in %.3f s (%.0f records/s); one KafkaConsumer"
            + " thread reading the same records without decoding: %.3f s (%.0f records/s); on one"
            + " thread, records in memory, with the plausibility rules: FlowRecordDeserializer %s,"
            + " Avro's BinaryMessageDecoder %s%n",
        RUNS,
        records,
        FLOW_PARTITIONS,
        median,
        records / median,
        consumerSeconds,
        records / consumerSeconds,
        deserializerTime.describe(records),
        avroTime.describe(records));
  }

  /** Seconds one plain consumer takes to fetch {@code records} records of {@code topic}. */
  private static double consumeAlone(String topic, long records) {
    long start = System.nanoTime();
    long read = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(false)) {
      consumer.assign(ReportOnKafka.partitions(consumer, topic));
      consumer.seekToBeginning(consumer.assignment());
      while (read < records) {
        read += consumer.poll(Duration.ofMillis(100)).count();
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Decodes the {@code i}th message of the capture's records; true when it is a counted flow. */
  private interface Decode {
    boolean flow(int i) throws Exception;
  }

  /** Wall-clock and CPU seconds of the thread that decoded. */
  private record DecodeTime(double seconds, double cpuSeconds) {
    String describe(long records) {
      return String.format(
          Locale.ROOT,
          "%.3f s (%.0f records/s), CPU %.3f s (%.0f ns per record)",
          seconds,
          records / seconds,
          cpuSeconds,
          cpuSeconds * 1e9 / records);
    }
  }

  /** The time {@code decode} takes for {@code records} messages, all of which must be flows. */
  private static DecodeTime decodeAlone(long records, Decode decode) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long flows = 0;
    long cpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < records; i++) {
      if (decode.flow(i)) {
        flows++;
      }
    }
    DecodeTime time =
        new DecodeTime(
            (System.nanoTime() - start) / 1e9, (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
    assertThat(flows).isEqualTo(records);
    return time;
  }

  @Test
  void latencyFromWatermarkToCommittedRanking(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    String run = "live";
    String flows = run + "-flows";
    broker.createTopics(LIVE_PARTITIONS, flows);
    // N above the 14 proto dport keys of the capture: every key is ranked, so each ranking's
    // trans add up to the records written into its window.
    ReportDefinition report = RaclusterBaseline.report(run, "proto dport", LIVE_WINDOW, 20);
    ReportJobOptions options =
        ReportJobOptions.builder()
            .maxOutOfOrderness(LIVE_OUT_OF_ORDERNESS)
            .sourceIdleness(Duration.ofSeconds(5))
            .checkpointInterval(LIVE_CHECKPOINTS)
            .build();
    StreamExecutionEnvironment env = ReportOnKafka.environment(options);
    kafka.addReportJob(env, run, flows, false, List.of(report), options);

    Map<Long, Long> written = new ConcurrentHashMap<>(); // window start ms -> records
    RankingWatcher committed = new RankingWatcher(kafka.consumer(true), run + "-topn");
    RankingWatcher uncommitted = new RankingWatcher(kafka.consumer(false), run + "-topn");
    committed.start();
    uncommitted.start();
    JobClient job = env.executeAsync(run);
    long startMillis = System.currentTimeMillis();
    long stopMillis = startMillis + TimeUnit.SECONDS.toMillis(LIVE_SECONDS);
    writeLive(flows, stopMillis, written);
    Thread.sleep(3_000);
    CheckpointStatsSnapshot stats =
        cluster.getExecutionGraph(job.getJobID()).get().getCheckpointStatsSnapshot();
    CompletedCheckpointStats lastCheckpoint = stats.getHistory().getLatestCompletedCheckpoint();
    long checkpoints = stats.getCounts().getNumberOfCompletedCheckpoints();
    job.cancel().get(1, TimeUnit.MINUTES);
    committed.close();
    uncommitted.close();

    long bound = LIVE_OUT_OF_ORDERNESS.toMillis();
    long size = LIVE_WINDOW.toMillis();
    List<Long> toCommitted = new ArrayList<>();
    List<Long> toWritten = new ArrayList<>();
    List<Long> writtenToCommitted = new ArrayList<>();
    for (long start : new TreeSet<>(written.keySet())) {
      long closes = start + size + bound; // the watermark passes the window's end
      if (start < startMillis + TimeUnit.SECONDS.toMillis(LIVE_WARMUP_SECONDS)
          || closes + 100 > stopMillis) {
        continue;
      }
      TopNRanking ranking = committed.rankings.get(start * 1000);
      assertThat(ranking).as("ranking of the window at %d committed", start).isNotNull();
      assertThat(ranking.getKeyCount()).isEqualTo(ranking.getRows().size());
      assertThat(ranking.getRows().stream().mapToLong(FlowAggregate::getTrans).sum())
          .as("records counted in the window at %d", start)
          .isEqualTo(written.get(start));
      toCommitted.add(committed.seenAt.get(start * 1000) - closes);
      toWritten.add(uncommitted.seenAt.get(start * 1000) - closes);
      writtenToCommitted.add(
          committed.seenAt.get(start * 1000) - uncommitted.seenAt.get(start * 1000));
    }
    assertThat(toCommitted).hasSizeGreaterThan(10);
    toCommitted.sort(null);
    toWritten.sort(null);
    writtenToCommitted.sort(null);
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK report-job-kafka-latency: %d windows of %d ms (-m proto dport, %d records/s,"
            + " %d partitions, out-of-orderness %d ms, checkpoints every %d ms: %d completed, last"
            + " took %d ms, %d bytes): watermark past window end -> ranking readable"
            + " read_committed p50 %d ms, p99 %d ms, max %d ms; -> ranking written (visible"
            + " read_uncommitted) p50 %d ms, p99 %d ms, max %d ms; written -> committed, per"
            + " window, p50 %d ms, p99 %d ms, max %d ms%n",
        toCommitted.size(),
        size,
        LIVE_RECORDS_PER_SECOND,
        LIVE_PARTITIONS,
        bound,
        LIVE_CHECKPOINTS.toMillis(),
        checkpoints,
        lastCheckpoint == null ? -1 : lastCheckpoint.getEndToEndDuration(),
        lastCheckpoint == null ? -1 : lastCheckpoint.getStateSize(),
        percentile(toCommitted, 0.5),
        percentile(toCommitted, 0.99),
        toCommitted.get(toCommitted.size() - 1),
        percentile(toWritten, 0.5),
        percentile(toWritten, 0.99),
        toWritten.get(toWritten.size() - 1),
        percentile(writtenToCommitted, 0.5),
        percentile(writtenToCommitted, 0.99),
        writtenToCommitted.get(writtenToCommitted.size() - 1));
  }

  /**
   * Writes the capture's records in turn, each restamped to start now (keeping its duration), at
   * {@value #LIVE_RECORDS_PER_SECOND} records/s in batches every 10 ms, to the partitions in turn,
   * until {@code stopMillis}; counts them per window start in {@code written}.
   */
  private static void writeLive(String topic, long stopMillis, Map<Long, Long> written) {
    int perTick = LIVE_RECORDS_PER_SECOND / 100;
    long tickNanos = TimeUnit.MILLISECONDS.toNanos(10);
    long next = System.nanoTime();
    long i = 0;
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      while (System.currentTimeMillis() < stopMillis) {
        for (int k = 0; k < perTick; k++, i++) {
          FlowRecord template = base.get((int) (i % base.size()));
          long now = System.currentTimeMillis();
          FlowRecord record =
              FlowRecord.newBuilder(template)
                  .setStime(now * 1000)
                  .setLtime(now * 1000 + (template.getLtime() - template.getStime()))
                  .build();
          producer.send(
              ReportOnKafka.message(topic, (int) (i % LIVE_PARTITIONS), record),
              (metadata, error) -> {
                if (error != null) {
                  failed.compareAndSet(null, error);
                }
              });
          written.merge(now - Math.floorMod(now, LIVE_WINDOW.toMillis()), 1L, Long::sum);
        }
        next += tickNanos;
        LockSupport.parkNanos(next - System.nanoTime());
      }
    }
    assertThat(failed.get()).as("live records written").isNull();
  }

  private static long percentile(List<Long> sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.size()); // nearest rank
    return sorted.get(Math.max(0, rank - 1));
  }

  /**
   * Follows a topn topic and stamps when the first ranking of each window (by start, in
   * microseconds) became readable.
   */
  private static final class RankingWatcher extends Thread implements AutoCloseable {
    final Map<Long, Long> seenAt = new ConcurrentHashMap<>();
    final Map<Long, TopNRanking> rankings = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile Exception failure;

    RankingWatcher(KafkaConsumer<byte[], byte[]> consumer, String topic) {
      super("watch-" + topic);
      this.consumer = consumer;
      this.topic = topic;
    }

    @Override
    public void run() {
      try (consumer) {
        consumer.assign(ReportOnKafka.partitions(consumer, topic));
        consumer.seekToBeginning(consumer.assignment());
        while (!stop.get()) {
          var records = consumer.poll(Duration.ofMillis(10));
          long now = System.currentTimeMillis();
          for (ConsumerRecord<byte[], byte[]> record : records) {
            TopNRanking ranking = ReportOnKafka.ranking(record.value());
            seenAt.putIfAbsent(ranking.getWindowStart(), now);
            rankings.putIfAbsent(ranking.getWindowStart(), ranking);
          }
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    @Override
    public void close() throws Exception {
      stop.set(true);
      join(TimeUnit.SECONDS.toMillis(30));
      if (failure != null) {
        throw failure;
      }
    }
  }
}

package org.argosy.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.jobs.report.ReportJobOptions.StateBackend;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.KafkaBroker;
import org.argosy.query.report.ReportDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The report job's state per key and a window of many keys, through a real broker (a child JVM on
 * the same cores). Records are generated: record {@code i} is the capture's first record with
 * {@code saddr 10.x.y.z} made from {@code i}, so {@code -m saddr daddr} has one key per record, all
 * in one day window.
 *
 * <ul>
 *   <li>Bytes per key, heap and RocksDB: the job runs unbounded over {@value #SMALL} and then
 *       {@value #LARGE} keys (the window never closes); once the source has committed the end of
 *       the topic, the size of the next completed checkpoint, and for heap the JVM's heap used
 *       after a full GC against before the job. Per key = difference of the two runs / difference
 *       of the key counts, so fixed costs cancel.
 *   <li>A window of {@code bench.window.keys} (default 10M) distinct keys on RocksDB (heap with
 *       {@code bench.window.backend=heap}), bounded: wall time to the committed ranking, the
 *       largest checkpoint, and a check that the ranking counted every key.
 * </ul>
 *
 * Runs only with {@code mvn -Pbench verify -pl flink-jobs -Dtest=ReportStateSizeBenchmark}.
 */
class ReportStateSizeBenchmark {

  private static final long SMALL = 50_000;
  private static final long LARGE = 250_000;
  private static final long WINDOW_KEYS = Long.getLong("bench.window.keys", 10_000_000);

  /**
   * The backend of the window of many keys: RocksDB, or {@code -Dbench.window.backend=heap} for the
   * comparison (at most a few million keys in the test JVM's 2 GB heap).
   */
  private static final StateBackend WINDOW_BACKEND =
      StateBackend.parse(System.getProperty("bench.window.backend", "rocksdb"));

  private static final int PARTITIONS = 4;
  private static final Duration CHECKPOINTS = Duration.ofSeconds(2);

  /**
   * RocksDB bloom filters ({@code -Dbench.rocksdb.bloom=true}): off by default, as in Flink; each
   * new key is a RocksDB lookup that misses, which without them reads every level.
   */
  private static final boolean BLOOM_FILTER = Boolean.getBoolean("bench.rocksdb.bloom");

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(clusterConfiguration())
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(ReportOnKafka.PARALLELISM)
              .build());

  @TempDir static Path work;

  private static KafkaBroker broker;
  private static ReportOnKafka kafka;
  private static FlowRecord template;
  private static final Set<String> PRODUCED = new HashSet<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedKafka.builder().startRestartable();
    kafka = new ReportOnKafka(broker);
    template = RaclusterBaseline.sensorRecords().get(0);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * Every checkpoint's statistics kept, and the managed memory that {@code argosy jobs} gives a
   * Flink cluster it starts for RocksDB state: each slot's RocksDB block cache and write buffers
   * come out of it (the MiniCluster's own 80 MiB leave a 35 MB cache per slot). Heap state does not
   * use it.
   */
  private static Configuration clusterConfiguration() {
    Configuration conf = new Configuration();
    conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 100_000);
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, ReportJobOptions.LOCAL_ROCKSDB_MANAGED_MEMORY);
    return conf;
  }

  @ParameterizedTest
  @EnumSource(StateBackend.class)
  void stateBytesPerKey(StateBackend backend, @InjectMiniCluster MiniCluster cluster)
      throws Exception {
    long[] small = loadedState(cluster, backend, SMALL);
    long[] large = loadedState(cluster, backend, LARGE);
    double checkpointPerKey = (large[0] - small[0]) / (double) (LARGE - SMALL);
    double heapPerKey = (large[1] - small[1]) / (double) (LARGE - SMALL);
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK report-state-per-key %s (-m saddr daddr, day window, parallelism 2):"
            + " checkpoint %d bytes with %d keys, %d bytes with %d keys: %.1f bytes/key;"
            + " heap used after GC, loaded minus before: %d and %d bytes: %.1f bytes/key%n",
        backend,
        small[0],
        SMALL,
        large[0],
        LARGE,
        checkpointPerKey,
        small[1],
        large[1],
        heapPerKey);
  }

  /**
   * Runs the job unbounded over {@code keys} keys until a checkpoint holds all of them.
   *
   * @return that checkpoint's full state size, and the heap used after GC with the state loaded
   *     minus before the job
   */
  private static long[] loadedState(MiniCluster cluster, StateBackend backend, long keys)
      throws Exception {
    String topic = produceKeys(keys);
    String run = "state-" + backend.name().toLowerCase(Locale.ROOT) + "-" + keys;
    long heapBefore = heapAfterGc();
    JobClient job = startJob(run, topic, false, backend).executeAsync(run);
    try {
      waitForCommittedOffsets(run + "-job", keys);
      long seen = latest(cluster, job.getJobID()).getCheckpointId();
      CompletedCheckpointStats loaded = latest(cluster, job.getJobID());
      long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (loaded.getCheckpointId() <= seen) {
        assertThat(System.nanoTime()).as("a checkpoint after the last offsets").isLessThan(giveUp);
        Thread.sleep(200);
        loaded = latest(cluster, job.getJobID());
      }
      long heapLoaded = heapAfterGc();
      System.out.printf(
          Locale.ROOT,
          "%s: checkpoint %d state size %d bytes (checkpointed %d; %s), heap after GC %d -> %d%n",
          run,
          loaded.getCheckpointId(),
          loaded.getStateSize(),
          loaded.getCheckpointedSize(),
          perOperator(loaded, cluster.getExecutionGraph(job.getJobID()).get()),
          heapBefore,
          heapLoaded);
      return new long[] {loaded.getStateSize(), heapLoaded - heapBefore};
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void windowOfManyKeysOnRocksDb(@InjectMiniCluster MiniCluster cluster) throws Exception {
    long producing = System.nanoTime();
    String topic = produceKeys(WINDOW_KEYS);
    double produceSeconds = (System.nanoTime() - producing) / 1e9;
    String run = "window-" + WINDOW_KEYS;
    StreamExecutionEnvironment env = startJob(run, topic, true, WINDOW_BACKEND);
    long start = System.nanoTime();
    JobID job = env.execute(run).getJobID();
    double seconds = (System.nanoTime() - start) / 1e9;

    List<TopNRanking> rankings = kafka.committedRankings(run);
    assertThat(rankings).singleElement();
    TopNRanking ranking = rankings.get(0);
    assertThat(ranking.getKeyCount()).as("distinct keys counted").isEqualTo(WINDOW_KEYS);
    assertThat(ranking.getRows()).hasSize(10).allMatch(row -> row.getTrans() == 1);
    kafka.assertNothingLateOrDead(run);

    CheckpointStatsSnapshot stats =
        cluster.getArchivedExecutionGraph(job).get().getCheckpointStatsSnapshot();
    CompletedCheckpointStats largest = null;
    long completed = 0;
    long longest = 0;
    for (AbstractCheckpointStats checkpoint : stats.getHistory().getCheckpoints()) {
      if (checkpoint instanceof CompletedCheckpointStats done) {
        completed++;
        if (largest == null || done.getStateSize() > largest.getStateSize()) {
          largest = done;
        }
        longest = Math.max(longest, done.getEndToEndDuration());
      }
    }
    assertThat(largest).as("a completed checkpoint").isNotNull();
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK report-window-keys %s: %d distinct saddr daddr keys in one day window"
            + " (parallelism 2, exactly-once, checkpoints every %d s, bloom filters %s): ranking"
            + " committed after"
            + " %.1f s (%.0f records/s), keyCount %d; %d checkpoints completed, largest %d"
            + " bytes (%.1f bytes/key; %s), longest %d ms; records written to Kafka beforehand"
            + " in %.1f s%n",
        WINDOW_BACKEND.name().toLowerCase(Locale.ROOT),
        WINDOW_KEYS,
        CHECKPOINTS.toSeconds(),
        BLOOM_FILTER ? "on" : "off",
        seconds,
        WINDOW_KEYS / seconds,
        ranking.getKeyCount(),
        completed,
        largest.getStateSize(),
        largest.getStateSize() / (double) WINDOW_KEYS,
        perOperator(largest, cluster.getArchivedExecutionGraph(job).get()),
        longest,
        produceSeconds);
  }

  private static StreamExecutionEnvironment startJob(
      String run, String topic, boolean bounded, StateBackend backend) {
    ReportDefinition report = RaclusterBaseline.report(run, "saddr daddr", Duration.ofDays(1), 10);
    ReportJobOptions options =
        ReportJobOptions.builder()
            .maxOutOfOrderness(Duration.ofMinutes(1))
            .checkpointInterval(CHECKPOINTS)
            .stateBackend(backend)
            .checkpointDirectory(work.resolve("checkpoints-" + run).toUri().toString())
            .build();
    Configuration rocksDb = new Configuration();
    rocksDb.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, BLOOM_FILTER);
    StreamExecutionEnvironment env = ReportOnKafka.environment(options, rocksDb);
    kafka.addReportJob(env, run, topic, bounded, List.of(report), options);
    return env;
  }

  /**
   * Topic {@code keys-N}, once: N records of distinct {@code saddr daddr}, all starting at the same
   * instant an hour into the current UTC day (the day window never closes while the job runs).
   */
  private static String produceKeys(long keys) throws Exception {
    String topic = "keys-" + keys;
    if (PRODUCED.add(topic)) {
      long stime =
          Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(1)).toEpochMilli()
              * 1000;
      FlowRecord record = FlowRecord.newBuilder(template).setStime(stime).build();
      record.setLtime(stime + 1_000_000);
      kafka.produce(
          topic,
          PARTITIONS,
          keys,
          i -> { // encoded at once, so one record can be refilled each time
            record.setSaddr(ipv4(10, (int) (i >> 16) & 0xff, (int) (i >> 8) & 0xff, (int) i));
            record.setDaddr(ipv4(192, 168, (int) (i >> 24) & 0xff, 1));
            return record;
          });
    }
    return topic;
  }

  private static IpAddress ipv4(int a, int b, int c, int d) {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    bytes[12] = (byte) a;
    bytes[13] = (byte) b;
    bytes[14] = (byte) c;
    bytes[15] = (byte) d;
    return new IpAddress(bytes);
  }

  /** Waits until the job's source has committed offsets summing to {@code records}. */
  private static void waitForCommittedOffsets(String group, long records) throws Exception {
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      while (true) {
        long committed =
            admin
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .values()
                .stream()
                .filter(Objects::nonNull)
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
        if (committed >= records) {
          return;
        }
        assertThat(System.nanoTime()).as("%s read to the end", group).isLessThan(giveUp);
        Thread.sleep(500);
      }
    }
  }

  private static CompletedCheckpointStats latest(MiniCluster cluster, JobID job) throws Exception {
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      CompletedCheckpointStats latest =
          cluster
              .getExecutionGraph(job)
              .get()
              .getCheckpointStatsSnapshot()
              .getHistory()
              .getLatestCompletedCheckpoint();
      if (latest != null) {
        return latest;
      }
      assertThat(System.nanoTime()).as("a completed checkpoint").isLessThan(giveUp);
      Thread.sleep(200);
    }
  }

  /** The state size of each operator chain of {@code checkpoint}, by name. */
  private static String perOperator(
      CompletedCheckpointStats checkpoint, AccessExecutionGraph graph) {
    StringBuilder text = new StringBuilder();
    for (TaskStateStats task : checkpoint.getAllTaskStateStats()) {
      if (task.getStateSize() > 0) {
        text.append(text.isEmpty() ? "" : ", ")
            .append(graph.getJobVertex(task.getJobVertexId()).getName())
            .append(' ')
            .append(task.getStateSize());
      }
    }
    return text.toString();
  }

  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}

package org.argosy.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.jobs.kafka.FlowTopics;
import org.argosy.jobs.kafka.TopicSinks;
import org.argosy.jobs.report.ReportJob;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.kafka.embedded.KafkaBroker;
import org.argosy.query.report.ReportDefinition;

/**
 * The report job as {@code argosy jobs} runs it, between topics of a real broker, for the
 * benchmarks: the {@link FlowTopics} source and its exactly-once sinks, parallelism {@value
 * #PARALLELISM}. A run named {@code r} writes {@code r-topn}, {@code r-aggregates}, {@code r-late}
 * and {@code r-dlq}.
 */
final class ReportOnKafka {

  static final int PARALLELISM = 2;

  private static final AvroSingleObjectCodec<FlowRecord> FLOWS =
      AvroSingleObjectCodec.forClass(FlowRecord.class);
  private static final AvroSingleObjectCodec<TopNRanking> RANKINGS =
      AvroSingleObjectCodec.forClass(TopNRanking.class);

  private final KafkaBroker broker;

  ReportOnKafka(KafkaBroker broker) {
    this.broker = broker;
  }

  /** A MiniCluster of one TaskManager with a slot per subtask of the job. */
  static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());
  }

  /** An environment with the checkpoints and state backend of {@code options}; no restarts. */
  static StreamExecutionEnvironment environment(ReportJobOptions options) {
    return environment(options, new Configuration());
  }

  /** As {@link #environment(ReportJobOptions)}, with {@code extra} settings on top. */
  static StreamExecutionEnvironment environment(ReportJobOptions options, Configuration extra) {
    Configuration conf = options.applyTo(new Configuration());
    conf.addAll(extra);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(PARALLELISM);
    return env;
  }

  /**
   * Adds the report job of {@code run} to {@code env}: {@code flowsTopic} from the start (to the
   * offsets latest at start when {@code bounded}) into the run's topics, which it creates.
   */
  void addReportJob(
      StreamExecutionEnvironment env,
      String run,
      String flowsTopic,
      boolean bounded,
      List<ReportDefinition> reports,
      ReportJobOptions options) {
    String bootstrap = broker.bootstrapServers();
    broker.createTopics(1, run + "-topn", run + "-aggregates", run + "-late", run + "-dlq");
    TopicSinks topics = FlowTopics.sinks(bootstrap, run, Map.of());
    ReportJob.Sinks sinks =
        new ReportJob.Sinks(
            topics.aggregates(run + "-aggregates"),
            topics.rankings(run + "-topn"),
            topics.late(run + "-late"),
            topics.deadLetters(run + "-dlq"));
    ReportJob.build(
        env,
        FlowTopics.flowSource(bootstrap, flowsTopic, run + "-job", bounded, Map.of()),
        sinks,
        reports,
        options);
  }

  /**
   * The producer settings of the sensor's delivery (acks=all, zstd, linger 20 ms, 256 KiB batches),
   * without idempotence: a freshly created topic can answer an idempotent producer with
   * OUT_OF_ORDER_SEQUENCE_NUMBER for minutes (KAFKA-15591, see BENCHMARKS.md); {@link #produce}
   * checks the record count instead.
   */
  KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static ProducerRecord<byte[], byte[]> message(String topic, int partition, FlowRecord record) {
    return new ProducerRecord<>(topic, partition, null, FLOWS.encode(record));
  }

  /**
   * Creates {@code topic} with {@code partitions} and writes record {@code i} = {@code
   * records.apply(i)} for i in [0, count), in blocks of 1,000 per partition in turn; returns once
   * all are acknowledged and the topic holds exactly {@code count} records.
   */
  void produce(String topic, int partitions, long count, LongFunction<FlowRecord> records)
      throws Exception {
    broker.createTopics(partitions, topic);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (long i = 0; i < count; i++) {
        producer.send(message(topic, (int) ((i / 1000) % partitions), records.apply(i)));
      }
      producer.flush();
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(false)) {
      List<TopicPartition> all = partitions(consumer, topic);
      long held = consumer.endOffsets(all).values().stream().mapToLong(Long::longValue).sum();
      assertThat(held).as("records on %s", topic).isEqualTo(count);
    }
  }

  /** A consumer that sees only committed transactions, or every written record. */
  KafkaConsumer<byte[], byte[]> consumer(boolean readCommitted) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        readCommitted ? "read_committed" : "read_uncommitted");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    return consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  /** The records committed to {@code topic} when called (read_committed, to the stable end). */
  List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(true)) {
      List<TopicPartition> all = partitions(consumer, topic);
      consumer.assign(all);
      consumer.seekToBeginning(all);
      Map<TopicPartition, Long> stableEnd = consumer.endOffsets(all);
      long giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (all.stream().anyMatch(p -> consumer.position(p) < stableEnd.get(p))) {
        assertThat(System.nanoTime()).as("read %s in time", topic).isLessThan(giveUp);
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  /** The rankings committed to {@code run}'s topn topic. */
  List<TopNRanking> committedRankings(String run) throws Exception {
    List<TopNRanking> rankings = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : committed(run + "-topn")) {
      rankings.add(ranking(record.value()));
    }
    return rankings;
  }

  static TopNRanking ranking(byte[] value) throws Exception {
    return RANKINGS.decode(value);
  }

  /** Asserts that {@code run} committed no late record and no dead letter. */
  void assertNothingLateOrDead(String run) {
    assertThat(committed(run + "-late")).as("late records").isEmpty();
    assertThat(committed(run + "-dlq")).as("dead letters").isEmpty();
  }
}

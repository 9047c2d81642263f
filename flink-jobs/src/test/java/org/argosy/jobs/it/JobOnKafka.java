package org.argosy.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.avro.codec.RecordDecodingException;
import org.argosy.jobs.kafka.FlowTopics;
import org.argosy.jobs.kafka.TopicSinks;
import org.argosy.jobs.report.ArgusTools;
import org.argosy.jobs.report.ReportJob;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.jobs.source.FlowOrDeadLetter;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportOutput;
import org.argosy.query.report.ReportWindow;

/**
 * The report job between topics of a real broker, for the fault tests: one run reads {@code
 * <run>-flows} and writes {@code <run>-topn}, {@code -aggregates}, {@code -late} and {@code -dlq},
 * exactly once; results are read back with {@code isolation.level=read_committed}. The flows,
 * environment and read-back helpers serve {@link AlertJobOnKafka} too.
 */
final class JobOnKafka {

  /** Flow partitions: the job reads them with one source subtask each. */
  static final int PARTITIONS = 2;

  private final String bootstrap;

  JobOnKafka(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  static String flows(String run) {
    return run + "-flows";
  }

  static String topn(String run) {
    return run + "-topn";
  }

  static String aggregates(String run) {
    return run + "-aggregates";
  }

  static String late(String run) {
    return run + "-late";
  }

  static String dlq(String run) {
    return run + "-dlq";
  }

  /** Every topic of a run. */
  static String[] topics(String run) {
    return new String[] {flows(run), topn(run), aggregates(run), late(run), dlq(run)};
  }

  /**
   * Two reports over the whole input in 10 s windows. Out-of-orderness and idleness far above the
   * capture's length make every window close only at the end of the (bounded) input, so the results
   * do not depend on how the partitions interleave: two runs over the same records give the same
   * results.
   */
  static List<ReportDefinition> reports() {
    return List.of(report("dports", "proto dport", 10), report("talkers", "saddr", 5));
  }

  static ReportJobOptions options() {
    return ReportJobOptions.builder()
        .maxOutOfOrderness(Duration.ofMinutes(10))
        .sourceIdleness(Duration.ofMinutes(10))
        .rankBuckets(4)
        .checkpointInterval(Duration.ofMillis(300))
        .build();
  }

  private static ReportDefinition report(String name, String keys, int n) {
    ClusterKeySpec clusterKey = ClusterKeySpec.parse(keys);
    return new ReportDefinition(
        name,
        FlowFilter.parse(""),
        clusterKey,
        ReportWindow.tumbling(Duration.ofSeconds(10)),
        RankingOrder.parse(List.of("bytes")),
        n,
        ReportDefinition.defaultFields(clusterKey),
        EnumSet.allOf(ReportOutput.class));
  }

  /**
   * An environment of the test's MiniCluster with checkpoints every {@link #options()} interval and
   * the given restart strategy ({@code none}: any failure fails the job).
   */
  static StreamExecutionEnvironment environment(Configuration extra) {
    Configuration conf = options().applyTo(new Configuration());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    conf.addAll(extra);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(PARTITIONS);
    return env;
  }

  /** A restart strategy for {@link #environment}: fixed delay, so many attempts. */
  static Configuration restartOnFailure(int attempts, Duration delay) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
    return conf;
  }

  /** Adds the report job of {@code run} to {@code env}, reading its flows to their current end. */
  void addReportJob(StreamExecutionEnvironment env, String run) {
    addReportJob(
        env, run, FlowTopics.flowSource(bootstrap, flows(run), run + "-job", true, Map.of()));
  }

  private ReportJob.Sinks sinks(String run) {
    TopicSinks sinks = FlowTopics.sinks(bootstrap, run, Map.of());
    return new ReportJob.Sinks(
        sinks.aggregates(aggregates(run)),
        sinks.rankings(topn(run)),
        sinks.late(late(run)),
        sinks.deadLetters(dlq(run)));
  }

  /** Adds the report job of {@code run} to {@code env}, reading {@code source}. */
  void addReportJob(
      StreamExecutionEnvironment env, String run, Source<FlowOrDeadLetter, ?, ?> source) {
    ReportJob.build(env, source, sinks(run), reports(), options());
  }

  /** {@code <run>-flows} to its current end, from the start, through {@code deserializer}. */
  KafkaSource<FlowOrDeadLetter> source(
      String run, KafkaRecordDeserializationSchema<FlowOrDeadLetter> deserializer) {
    return KafkaSource.<FlowOrDeadLetter>builder()
        .setBootstrapServers(bootstrap)
        .setTopics(flows(run))
        .setGroupId(run + "-job")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setDeserializer(deserializer)
        .build();
  }

  /** The flow records the sensor meters from the bundled capture (samples/demo.pcap). */
  static List<FlowRecord> demoRecords() throws Exception {
    Path root = Path.of(System.getProperty("argosy.project.root", "../..")).toAbsolutePath();
    return ArgusTools.meterWithTheSensor(root.resolve("samples/demo.pcap"));
  }

  /** {@code records} on {@code <run>-flows}, spread over the partitions in turn. */
  void produceFlows(String run, List<FlowRecord> records) throws Exception {
    AvroSingleObjectCodec<FlowRecord> codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    List<ProducerRecord<byte[], byte[]>> messages = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      messages.add(
          new ProducerRecord<>(flows(run), i % PARTITIONS, null, codec.encode(records.get(i))));
    }
    produce(messages);
  }

  /** Writes the records in order and returns where each went. */
  List<RecordMetadata> produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    List<RecordMetadata> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        futures.add(producer.send(record));
      }
      producer.flush();
      for (var future : futures) {
        sent.add(future.get());
      }
    }
    return sent;
  }

  /** Everything committed to {@code topic} so far, partition by partition. */
  List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // Under read_committed the end offsets are the last stable offsets: all committed data.
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to " + end);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /**
   * A MiniCluster of one TaskManager with a slot per flow partition, configured by {@code conf}.
   */
  static MiniClusterExtension miniCluster(Configuration conf) {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(conf)
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARTITIONS)
            .build());
  }

  /** Creates topics: {@code KafkaBroker::createTopics} or {@code EmbeddedKafkaExtension}'s. */
  interface TopicCreator {
    void create(int partitions, String... topics);
  }

  /**
   * Creates the topics of {@code reference} and {@code run}, writes {@code records} to the flows of
   * both, and runs the job of {@code reference} without restarts: the results {@code run} must
   * reproduce under a fault.
   */
  void prepareReference(
      TopicCreator creator, List<FlowRecord> records, String reference, String run)
      throws Exception {
    prepareRuns(creator, records, JobOnKafka::topics, reference, run);
    runWithoutRestarts(reference);
  }

  /** Creates the topics of each run ({@code topics}) and writes {@code records} to its flows. */
  void prepareRuns(
      TopicCreator creator,
      List<FlowRecord> records,
      Function<String, String[]> topics,
      String... runs)
      throws Exception {
    for (String run : runs) {
      creator.create(PARTITIONS, topics.apply(run));
    }
    for (String run : runs) {
      produceFlows(run, records);
    }
  }

  /** Runs the report job of {@code run} to the end of its input; any failure fails it. */
  JobID runWithoutRestarts(String run) throws Exception {
    StreamExecutionEnvironment env = environment(new Configuration());
    addReportJob(env, run);
    return env.execute(run).getJobID();
  }

  /**
   * Asserts that {@code run} committed the same rankings and aggregates as {@code reference}, some,
   * none twice, and no late record or dead letter.
   */
  void assertSameResults(String reference, String run) throws RecordDecodingException {
    List<String> rankings = rankings(reference);
    assertThat(rankings).isNotEmpty().doesNotHaveDuplicates();
    assertThat(rankings(run)).isEqualTo(rankings);
    List<String> aggregates = aggregatesOf(reference);
    assertThat(aggregates).isNotEmpty().doesNotHaveDuplicates();
    assertThat(aggregatesOf(run)).isEqualTo(aggregates);
    assertThat(readCommitted(late(run))).isEmpty();
    assertThat(readCommitted(dlq(run))).isEmpty();
  }

  /** The rankings of a run, each as its Avro JSON text, in a stable order. */
  List<String> rankings(String run) throws RecordDecodingException {
    return decodedSorted(topn(run), AvroSingleObjectCodec.forClass(TopNRanking.class));
  }

  /** The aggregates of a run, each as its Avro JSON text, in a stable order. */
  List<String> aggregatesOf(String run) throws RecordDecodingException {
    return decodedSorted(aggregates(run), AvroSingleObjectCodec.forClass(FlowAggregate.class));
  }

  private List<String> decodedSorted(String topic, AvroSingleObjectCodec<?> codec)
      throws RecordDecodingException {
    List<String> texts = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readCommitted(topic)) {
      texts.add(codec.decode(record.value()).toString());
    }
    texts.sort(null);
    return texts;
  }
}

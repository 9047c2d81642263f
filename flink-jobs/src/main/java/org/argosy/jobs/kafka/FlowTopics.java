package org.argosy.jobs.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.source.DeadLetter;
import org.argosy.jobs.source.FlowOrDeadLetter;
import org.argosy.jobs.source.FlowStreams;
import org.argosy.query.FlowJson;
import org.argosy.query.alert.AlertJson;

/** The Kafka sources and sinks of the jobs, configured the same way everywhere. */
public final class FlowTopics {

  /**
   * Exactly-once producers' transaction timeout: below the broker's transaction.max.timeout.ms (15
   * min by default), or the broker refuses every transaction and the job restarts forever; and well
   * above any checkpoint interval, since a transaction stays open from one checkpoint to the next.
   */
  static final String TRANSACTION_TIMEOUT_MS = Integer.toString(10 * 60 * 1000);

  private FlowTopics() {}

  /**
   * Reads flow records from the start of {@code topic}, each decoded into a flow or a dead letter
   * ({@link FlowRecordDeserializer}); {@link FlowStreams#from} makes the two streams of it.
   *
   * @param bounded stop at the offsets that are latest when the job starts (replay of a capture)
   * @param clientOverrides any Kafka consumer property (TLS, SASL), winning over the defaults
   */
  public static KafkaSource<FlowOrDeadLetter> flowSource(
      String bootstrapServers,
      String topic,
      String groupId,
      boolean bounded,
      Map<String, String> clientOverrides) {
    Properties props = new Properties();
    props.putAll(clientOverrides);
    var builder =
        KafkaSource.<FlowOrDeadLetter>builder()
            .setBootstrapServers(bootstrapServers)
            .setTopics(topic)
            .setGroupId(groupId)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new FlowRecordDeserializer())
            .setProperties(props);
    if (bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /** Rankings keyed by report and window start: the latest value per key is the answer. */
  public static KafkaSink<TopNRanking> rankingSink(
      String bootstrapServers,
      String topic,
      String transactionalIdPrefix,
      Map<String, String> clientOverrides) {
    return exactlyOnce(
        bootstrapServers,
        transactionalIdPrefix,
        clientOverrides,
        AvroRecordSerializer.of(TopNRanking.class, topic, FlowTopics::rankingKey));
  }

  /** Aggregates keyed by report, window start and cluster key values. */
  public static KafkaSink<FlowAggregate> aggregateSink(
      String bootstrapServers,
      String topic,
      String transactionalIdPrefix,
      Map<String, String> clientOverrides) {
    return exactlyOnce(
        bootstrapServers,
        transactionalIdPrefix,
        clientOverrides,
        AvroRecordSerializer.of(FlowAggregate.class, topic, FlowTopics::aggregateKey));
  }

  /** Rankings as JSON lines ({@link FlowJson#ranking}), keyed as on the Avro topic. */
  public static KafkaSink<TopNRanking> rankingJsonSink(
      String bootstrapServers,
      String topic,
      String transactionalIdPrefix,
      Map<String, String> clientOverrides) {
    return exactlyOnce(
        bootstrapServers,
        transactionalIdPrefix,
        clientOverrides,
        new JsonRecordSerializer<>(topic, FlowTopics::rankingKey, FlowJson::ranking));
  }

  /** Aggregates as JSON lines ({@link FlowJson#aggregate}), keyed as on the Avro topic. */
  public static KafkaSink<FlowAggregate> aggregateJsonSink(
      String bootstrapServers,
      String topic,
      String transactionalIdPrefix,
      Map<String, String> clientOverrides) {
    return exactlyOnce(
        bootstrapServers,
        transactionalIdPrefix,
        clientOverrides,
        new JsonRecordSerializer<>(topic, FlowTopics::aggregateKey, FlowJson::aggregate));
  }

  /** Late records as they came in, keyed by the name of the report they were late for. */
  public static KafkaSink<Tuple2<String, FlowRecord>> lateSink(
      String bootstrapServers,
      String topic,
      String transactionalIdPrefix,
      Map<String, String> clientOverrides) {
    return exactlyOnce(
        bootstrapServers,
        transactionalIdPrefix,
        clientOverrides,
        new AvroRecordSerializer<Tuple2<String, FlowRecord>, FlowRecord>(
            FlowRecord.class, topic, late -> utf8(late.f0), late -> late.f1));
  }

  /**
   * Dead letters as they came (original key and value), with reason and origin in {@code
   * argosy.dlq.*} headers ({@link DeadLetter#toProducerRecord}).
   */
  public static KafkaSink<DeadLetter> deadLetterSink(
      String bootstrapServers,
      String topic,
      String transactionalIdPrefix,
      Map<String, String> clientOverrides) {
    return exactlyOnce(
        bootstrapServers,
        transactionalIdPrefix,
        clientOverrides,
        (letter, context, timestamp) -> letter.toProducerRecord(topic));
  }

  /** Alerts as JSON lines keyed by alert id, for any consumer. */
  public static KafkaSink<FlowAlert> alertJsonSink(
      String bootstrapServers,
      String topic,
      String transactionalIdPrefix,
      Map<String, String> clientOverrides) {
    return exactlyOnce(
        bootstrapServers,
        transactionalIdPrefix,
        clientOverrides,
        new JsonRecordSerializer<>(topic, alert -> utf8(alert.getId()), AlertJson::encode));
  }

  /** Alerts as Avro keyed by alert id: OPEN, UPDATE and RESOLVED of one condition share a key. */
  public static KafkaSink<FlowAlert> alertAvroSink(
      String bootstrapServers,
      String topic,
      String transactionalIdPrefix,
      Map<String, String> clientOverrides) {
    return exactlyOnce(
        bootstrapServers,
        transactionalIdPrefix,
        clientOverrides,
        AvroRecordSerializer.of(FlowAlert.class, topic, alert -> utf8(alert.getId())));
  }

  private static <T> KafkaSink<T> exactlyOnce(
      String bootstrapServers,
      String transactionalIdPrefix,
      Map<String, String> clientOverrides,
      KafkaRecordSerializationSchema<T> serializer) {
    Properties props = new Properties();
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    props.putAll(clientOverrides);
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setKafkaProducerConfig(props)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .build();
  }

  private static byte[] rankingKey(TopNRanking ranking) {
    return utf8(ranking.getReport() + "@" + ranking.getWindowStart());
  }

  private static byte[] aggregateKey(FlowAggregate aggregate) {
    StringBuilder key =
        new StringBuilder(aggregate.getReport()).append('@').append(aggregate.getWindowStart());
    for (KeyField field : aggregate.getKey()) {
      key.append(' ').append(field.getName()).append('=').append(field.getValue());
    }
    return utf8(key.toString());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

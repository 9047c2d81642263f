package org.argosy.jobs.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.source.DeadLetter;
import org.argosy.query.FlowJson;
import org.argosy.query.alert.AlertJson;

/**
 * The jobs' exactly-once Kafka sinks, one per kind of output, for topics of one cluster ({@link
 * FlowTopics#sinks}). Each sink's transactional ids are the prefix, then the topic: two sinks of
 * one job never share them, as long as two jobs (or two parts of one job writing the same topic)
 * use different prefixes.
 */
public final class TopicSinks {

  private final String bootstrapServers;
  private final String transactionalIdPrefix;
  private final Map<String, String> clientOverrides;

  TopicSinks(
      String bootstrapServers, String transactionalIdPrefix, Map<String, String> clientOverrides) {
    this.bootstrapServers = bootstrapServers;
    this.transactionalIdPrefix = transactionalIdPrefix;
    this.clientOverrides = Map.copyOf(clientOverrides);
  }

  /** Rankings keyed by report and window start: the latest value per key is the answer. */
  public KafkaSink<TopNRanking> rankings(String topic) {
    return exactlyOnce(
        topic, AvroRecordSerializer.of(TopNRanking.class, topic, FlowTopics::rankingKey));
  }

  /** Aggregates keyed by report, window start and cluster key values. */
  public KafkaSink<FlowAggregate> aggregates(String topic) {
    return exactlyOnce(
        topic, AvroRecordSerializer.of(FlowAggregate.class, topic, FlowTopics::aggregateKey));
  }

  /** Rankings as JSON lines ({@link FlowJson#ranking}), keyed as on the Avro topic. */
  public KafkaSink<TopNRanking> rankingsJson(String topic) {
    return exactlyOnce(
        topic, new JsonRecordSerializer<>(topic, FlowTopics::rankingKey, FlowJson::ranking));
  }

  /** Aggregates as JSON lines ({@link FlowJson#aggregate}), keyed as on the Avro topic. */
  public KafkaSink<FlowAggregate> aggregatesJson(String topic) {
    return exactlyOnce(
        topic, new JsonRecordSerializer<>(topic, FlowTopics::aggregateKey, FlowJson::aggregate));
  }

  /** Late records as they came in, keyed by the name of the report or rule they were late for. */
  public KafkaSink<Tuple2<String, FlowRecord>> late(String topic) {
    return exactlyOnce(
        topic,
        new AvroRecordSerializer<Tuple2<String, FlowRecord>, FlowRecord>(
            FlowRecord.class, topic, late -> FlowTopics.utf8(late.f0), late -> late.f1));
  }

  /**
   * Dead letters as they came (original key and value), with reason and origin in {@code
   * argosy.dlq.*} headers ({@link DeadLetter#toProducerRecord}).
   */
  public KafkaSink<DeadLetter> deadLetters(String topic) {
    return exactlyOnce(topic, (letter, context, timestamp) -> letter.toProducerRecord(topic));
  }

  /** Alerts as JSON lines keyed by alert id, for any consumer. */
  public KafkaSink<FlowAlert> alertsJson(String topic) {
    return exactlyOnce(
        topic,
        new JsonRecordSerializer<>(
            topic, alert -> FlowTopics.utf8(alert.getId()), AlertJson::encode));
  }

  /** Alerts as Avro keyed by alert id: OPEN, UPDATE and RESOLVED of one condition share a key. */
  public KafkaSink<FlowAlert> alertsAvro(String topic) {
    return exactlyOnce(
        topic,
        AvroRecordSerializer.of(FlowAlert.class, topic, alert -> FlowTopics.utf8(alert.getId())));
  }

  private <T> KafkaSink<T> exactlyOnce(String topic, KafkaRecordSerializationSchema<T> serializer) {
    Properties props = new Properties();
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, FlowTopics.TRANSACTION_TIMEOUT_MS);
    props.putAll(clientOverrides);
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setKafkaProducerConfig(props)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix + "-" + topic)
        .build();
  }
}

package org.argosy.jobs.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;

/** The Kafka sources and sinks of the jobs, configured the same way everywhere. */
public final class FlowTopics {

  private FlowTopics() {}

  /**
   * Reads flow records from the start of {@code topic}.
   *
   * @param bounded stop at the offsets that are latest when the job starts (replay of a capture)
   * @param clientOverrides any Kafka consumer property (TLS, SASL), winning over the defaults
   */
  public static KafkaSource<FlowRecord> flowSource(
      String bootstrapServers,
      String topic,
      String groupId,
      boolean bounded,
      Map<String, String> clientOverrides) {
    Properties props = new Properties();
    props.putAll(clientOverrides);
    var builder =
        KafkaSource.<FlowRecord>builder()
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

  /** Writes rankings keyed by report and window start, so one window's ranking is one key. */
  public static KafkaSink<TopNRanking> rankingSink(
      String bootstrapServers, String topic, Map<String, String> clientOverrides) {
    Properties props = new Properties();
    props.putAll(clientOverrides);
    return KafkaSink.<TopNRanking>builder()
        .setBootstrapServers(bootstrapServers)
        .setKafkaProducerConfig(props)
        .setRecordSerializer(
            new AvroRecordSerializer<>(
                TopNRanking.class,
                topic,
                ranking ->
                    (ranking.getReport() + "@" + ranking.getWindowStart())
                        .getBytes(StandardCharsets.UTF_8)))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }
}

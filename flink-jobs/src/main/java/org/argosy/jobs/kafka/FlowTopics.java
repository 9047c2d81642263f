package org.argosy.jobs.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.source.FlowOrDeadLetter;
import org.argosy.jobs.source.FlowStreams;

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

  /**
   * Exactly-once sinks to topics of one Kafka cluster, with the client settings and the
   * transactional id prefix (unique per job and cluster) they share.
   */
  public static TopicSinks sinks(
      String bootstrapServers, String transactionalIdPrefix, Map<String, String> clientOverrides) {
    return new TopicSinks(bootstrapServers, transactionalIdPrefix, clientOverrides);
  }

  static byte[] rankingKey(TopNRanking ranking) {
    return utf8(ranking.getReport() + "@" + ranking.getWindowStart());
  }

  static byte[] aggregateKey(FlowAggregate aggregate) {
    StringBuilder key =
        new StringBuilder(aggregate.getReport()).append('@').append(aggregate.getWindowStart());
    for (KeyField field : aggregate.getKey()) {
      key.append(' ').append(field.getName()).append('=').append(field.getValue());
    }
    return utf8(key.toString());
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

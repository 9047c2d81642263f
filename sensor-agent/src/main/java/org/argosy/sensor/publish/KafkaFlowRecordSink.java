package org.argosy.sensor.publish;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;

/**
 * Publishes flow records to a Kafka topic as Avro single-object payloads. The record key is the
 * conversation hash, so every record of a conversation lands on one partition in order; headers
 * carry site, sensor id and schema fingerprint for consumers that route before decoding. Any failed
 * send makes {@link #flush()} throw: a record is never lost without the caller knowing.
 */
public final class KafkaFlowRecordSink implements FlowRecordSink {

  public static final String HEADER_SITE = "site";
  public static final String HEADER_SENSOR = "sensor";
  public static final String HEADER_SCHEMA = "schema-fingerprint";

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AvroSingleObjectCodec<FlowRecord> codec =
      AvroSingleObjectCodec.forClass(FlowRecord.class);
  private final byte[] fingerprint;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  /**
   * @param clientOverrides any Kafka producer property (TLS, SASL, tuning); wins over the defaults
   */
  public KafkaFlowRecordSink(
      String bootstrapServers, String topic, Map<String, String> clientOverrides) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "argosy-sensor");
    props.putAll(clientOverrides);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.fingerprint = Long.toHexString(codec.fingerprint()).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void send(FlowRecord record, long conversationHash) {
    byte[] key = ByteBuffer.allocate(Long.BYTES).putLong(conversationHash).array();
    ProducerRecord<byte[], byte[]> message =
        new ProducerRecord<>(topic, null, record.getStime() / 1000, key, codec.encode(record));
    message.headers().add(HEADER_SITE, record.getSite().getBytes(StandardCharsets.UTF_8));
    message.headers().add(HEADER_SENSOR, record.getSensorId().getBytes(StandardCharsets.UTF_8));
    message.headers().add(HEADER_SCHEMA, fingerprint);
    producer.send(
        message,
        (metadata, error) -> {
          if (error == null) {
            sent.incrementAndGet();
          } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, error);
          }
        });
  }

  @Override
  public void flush() {
    producer.flush();
    Exception failure = firstFailure.get();
    if (failure != null) {
      throw new IllegalStateException(
          failed.get() + " flow records could not be published to " + topic, failure);
    }
  }

  public long sent() {
    return sent.get();
  }

  @Override
  public void close() {
    producer.close();
  }
}

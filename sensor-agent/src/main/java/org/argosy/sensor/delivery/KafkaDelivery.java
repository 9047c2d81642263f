package org.argosy.sensor.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.sensor.flow.SensorIdentity;

/**
 * Builds a sensor's delivery to Kafka: the tuned idempotent producer, the headers every record
 * carries, the disk spool and the {@link ReliableKafkaSink} over them. Settings are checked in
 * {@link #build()}.
 *
 * <p>The record key is the 8-byte conversation hash: every record of a conversation lands on one
 * partition, in order, and conversations (many per sensor, from many sensors) spread evenly over
 * the partitions under Kafka's murmur2 partitioner.
 */
public final class KafkaDelivery {

  public static final String HEADER_SITE = "site";
  public static final String HEADER_SENSOR = "sensor";
  public static final String HEADER_SCHEMA = "schema-fingerprint";

  private String bootstrapServers;
  private String topic = "flows";
  private SensorIdentity identity;
  private Map<String, String> clientProperties = Map.of();
  private Path spoolDirectory;
  private long spoolMaxBytes = 1L << 30;
  private long spoolSegmentBytes = 8L << 20;
  private FsyncPolicy fsync = FsyncPolicy.SEGMENT;
  private int memoryRecords = 100_000;
  private Duration drainTimeout = Duration.ofSeconds(30);

  public static KafkaDelivery builder() {
    return new KafkaDelivery();
  }

  public KafkaDelivery bootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    return this;
  }

  public KafkaDelivery topic(String topic) {
    this.topic = topic;
    return this;
  }

  public KafkaDelivery identity(SensorIdentity identity) {
    this.identity = identity;
    return this;
  }

  /** Any Kafka producer property (TLS, SASL, tuning); wins over the defaults here. */
  public KafkaDelivery clientProperties(Map<String, String> clientProperties) {
    this.clientProperties = Map.copyOf(clientProperties);
    return this;
  }

  public KafkaDelivery spool(Path directory, long maxBytes, long segmentBytes, FsyncPolicy fsync) {
    this.spoolDirectory = directory;
    this.spoolMaxBytes = maxBytes;
    this.spoolSegmentBytes = segmentBytes;
    this.fsync = fsync;
    return this;
  }

  public KafkaDelivery memoryRecords(int memoryRecords) {
    this.memoryRecords = memoryRecords;
    return this;
  }

  public KafkaDelivery drainTimeout(Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
    return this;
  }

  /** The producer settings: defaults for this load, then the caller's properties. */
  public Map<String, Object> producerProperties() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    // The sender thread, not the capture, waits for an absent broker; fail fast into the retry.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "argosy-sensor-" + identity.sensorId());
    props.putAll(clientProperties);
    return props;
  }

  public ReliableKafkaSink build() {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka bootstrap servers are required");
    }
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("Kafka topic must not be blank");
    }
    Objects.requireNonNull(identity, "sensor identity");
    Objects.requireNonNull(spoolDirectory, "spool directory");
    if (memoryRecords < 1) {
      throw new IllegalArgumentException("memory queue must hold at least one record");
    }
    byte[] fingerprint =
        Long.toHexString(AvroSingleObjectCodec.forClass(FlowRecord.class).fingerprint())
            .getBytes(StandardCharsets.US_ASCII);
    List<Header> headers =
        List.of(
            new RecordHeader(HEADER_SITE, identity.site().getBytes(StandardCharsets.UTF_8)),
            new RecordHeader(HEADER_SENSOR, identity.sensorId().getBytes(StandardCharsets.UTF_8)),
            new RecordHeader(HEADER_SCHEMA, fingerprint));
    DiskSpool spool = new DiskSpool(spoolDirectory, spoolMaxBytes, spoolSegmentBytes, fsync);
    return new ReliableKafkaSink(
        new KafkaProducer<>(
            producerProperties(), new ByteArraySerializer(), new ByteArraySerializer()),
        topic,
        headers,
        spool,
        memoryRecords,
        drainTimeout);
  }
}

package org.argosy.sensor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.RestartableKafkaBroker;
import org.argosy.kafka.embedded.ScramUser;
import org.argosy.sensor.flow.SensorIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery through a real broker process that goes away and comes back. */
class ReliableKafkaSinkITCase {

  private static final String TOPIC = "flows";
  private static final Duration OUTAGE = Duration.ofSeconds(32);

  @TempDir Path spoolDirectory;

  @Test
  void everySequenceNumberArrivesExactlyOnceAcrossABrokerOutage() throws Exception {
    try (RestartableKafkaBroker broker = EmbeddedKafka.builder().startRestartable()) {
      broker.createTopics(3, TOPIC);
      ReliableKafkaSink sink =
          sink(broker.bootstrapServers(), 300, 64L << 20, Duration.ofSeconds(60));

      int sent = 0;
      long outageStart = -1;
      long start = System.nanoTime();
      // ~200 records/s for the outage and some seconds either side
      while (System.nanoTime() - start < OUTAGE.plusSeconds(8).toNanos()) {
        for (int i = 0; i < 20; i++, sent++) {
          sink.send(record(sent), sent % 97);
        }
        long elapsed = System.nanoTime() - start;
        if (outageStart < 0 && elapsed > Duration.ofSeconds(3).toNanos()) {
          broker.stop();
          outageStart = System.nanoTime();
        }
        if (outageStart > 0
            && broker.isRunning() == false
            && System.nanoTime() - outageStart > OUTAGE.toNanos()) {
          broker.restart();
        }
        Thread.sleep(100);
      }
      sink.flush();
      sink.close();

      assertThat(sink.counters().spooled()).as("the outage overflowed memory").isPositive();
      assertThat(sink.counters().dropped()).isZero();
      assertThat(sequenceCounts(broker.bootstrapServers()))
          .as("each of %d sequence numbers once", sent)
          .hasSize(sent)
          .allSatisfy((seq, count) -> assertThat(count).as("seq %d", seq).isEqualTo(1));
    }
  }

  @Test
  void aFullSpoolDropsAndCountsAndARestartedSinkReplaysWhatWasSpooled() throws Exception {
    int sent = 3000;
    ReliableKafkaSink unreachable = sink("127.0.0.1:1", 100, 32 * 1024, Duration.ofSeconds(3));
    for (int seq = 0; seq < sent; seq++) {
      unreachable.send(record(seq), seq);
    }
    unreachable.close();
    DeliveryCounters lost = unreachable.counters();
    assertThat(lost.dropped()).isPositive();
    assertThat(lost.sent()).isZero();
    assertThat(lost.spooled() + lost.dropped()).isEqualTo(sent);

    try (RestartableKafkaBroker broker = EmbeddedKafka.builder().startRestartable()) {
      broker.createTopics(3, TOPIC);
      // a larger cap this time: the spool is still full when the new record arrives
      ReliableKafkaSink restarted =
          sink(broker.bootstrapServers(), 100, 1 << 20, Duration.ofSeconds(60));
      restarted.send(record(sent), sent); // new records follow the spooled ones
      restarted.close();

      Map<Long, Integer> arrived = sequenceCounts(broker.bootstrapServers());
      assertThat(arrived).hasSize((int) lost.spooled() + 1).containsKey((long) sent);
      assertThat(arrived.values()).containsOnly(1);
      // what is missing is exactly what was dropped, visible as gaps in the sequence
      assertThat(sent + 1 - arrived.size()).isEqualTo(lost.dropped());
    }
  }

  @Test
  void deliversWithHeadersToABrokerThatRequiresScram() throws Exception {
    ScramUser user = new ScramUser("sensor-ams1", "test-secret-2");
    try (RestartableKafkaBroker broker =
        EmbeddedKafka.builder().requireScram(user).startRestartable()) {
      broker.createTopics(3, TOPIC);
      ReliableKafkaSink sink =
          KafkaDelivery.builder()
              .bootstrapServers(broker.bootstrapServers())
              .topic(TOPIC)
              .identity(new SensorIdentity("ams1", "sensor-7", "eth0"))
              .clientProperties(user.clientProperties())
              .spool(spoolDirectory, 1 << 20, 64 * 1024, FsyncPolicy.SEGMENT)
              .build();
      for (int seq = 0; seq < 100; seq++) {
        sink.send(record(seq), seq);
      }
      sink.close();
      assertThat(sink.counters().sent()).isEqualTo(100);

      Map<String, Object> config = new HashMap<>(broker.clientProperties());
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        ConsumerRecord<byte[], byte[]> first = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (first == null && System.nanoTime() < deadline) {
          var polled = consumer.poll(Duration.ofMillis(200));
          first = polled.isEmpty() ? null : polled.iterator().next();
        }
        assertThat(first).isNotNull();
        assertThat(new String(first.headers().lastHeader("site").value())).isEqualTo("ams1");
        assertThat(new String(first.headers().lastHeader("sensor").value())).isEqualTo("sensor-7");
        assertThat(first.headers().lastHeader("schema-fingerprint")).isNotNull();
        FlowRecord decoded = AvroSingleObjectCodec.forClass(FlowRecord.class).decode(first.value());
        assertThat(first.timestamp()).isEqualTo(Math.floorDiv(decoded.getStime(), 1000L));
        assertThat(first.key()).hasSize(Long.BYTES);
      }
    }
  }

  private ReliableKafkaSink sink(
      String bootstrap, int memoryCapacity, long spoolBytes, Duration drainTimeout) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    return new ReliableKafkaSink(
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
        TOPIC,
        List.of(),
        new DiskSpool(spoolDirectory, spoolBytes, 16 * 1024, FsyncPolicy.SEGMENT),
        memoryCapacity,
        drainTimeout);
  }

  private static FlowRecord record(long seq) {
    return FlowRecord.newBuilder()
        .setSite("site")
        .setSensorId("sensor")
        .setIface("eth0")
        .setSeq(seq)
        .setStime(1_700_000_000_000_000L + seq * 1000)
        .setLtime(1_700_000_000_000_000L + seq * 1000)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .build();
  }

  /** How often each sequence number arrived on the topic. */
  private static Map<Long, Integer> sequenceCounts(String bootstrap) throws Exception {
    AvroSingleObjectCodec<FlowRecord> codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false");
    Map<Long, Integer> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(TOPIC)
          .forEach(p -> partitions.add(new TopicPartition(TOPIC, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> message : consumer.poll(Duration.ofMillis(200))) {
          counts.merge(codec.decode(message.value()).getSeq(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }
}

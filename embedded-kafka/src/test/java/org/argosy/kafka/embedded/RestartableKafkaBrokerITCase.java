package org.argosy.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A broker process that is stopped, killed and restarted keeps its port and its data. */
class RestartableKafkaBrokerITCase {

  @Test
  void keepsPortAndDataAcrossStopKillAndRestart() throws Exception {
    try (RestartableKafkaBroker broker = EmbeddedKafka.builder().startRestartable()) {
      broker.createTopics(2, "events");
      String bootstrap = broker.bootstrapServers();
      produce(bootstrap, "before-stop");

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.restart();
      assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
      produce(bootstrap, "after-stop");

      broker.kill();
      assertThat(broker.isRunning()).isFalse();
      broker.restart();
      produce(bootstrap, "after-kill");

      assertThat(consumeAll(bootstrap, "events"))
          .containsExactlyInAnyOrder("before-stop", "after-stop", "after-kill");
    }
  }

  @Test
  void producerRidesOutAnOutageShorterThanItsTimeouts() throws Exception {
    try (RestartableKafkaBroker broker = EmbeddedKafka.builder().startRestartable()) {
      broker.createTopics(1, "events");
      try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
        producer.send(new ProducerRecord<>("events", "one")).get();
        broker.stop();
        // send() itself blocks while the broker is away (metadata), so it runs on its own thread
        CompletableFuture<RecordMetadata> pending =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return producer.send(new ProducerRecord<>("events", "two")).get();
                  } catch (Exception e) {
                    throw new CompletionException(e);
                  }
                });
        Thread.sleep(Duration.ofSeconds(3).toMillis());
        assertThat(pending).isNotDone();
        broker.restart();
        pending.get(60, TimeUnit.SECONDS);
      }
      assertThat(consumeAll(broker.bootstrapServers(), "events")).containsExactly("one", "two");
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static void produce(String bootstrap, String value) throws Exception {
    try (KafkaProducer<String, String> producer = producer(bootstrap)) {
      producer.send(new ProducerRecord<>("events", value)).get();
    }
  }

  private static List<String> consumeAll(String bootstrap, String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}

package org.argosy.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedKafkaITCase {
  private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Test
  void createsTopicsWithTheRequestedPartitionsAndToleratesExistingOnes() throws Exception {
    KAFKA.createTopics(3, "flows", "alerts");
    KAFKA.createTopics(3, "flows");

    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      Map<String, TopicDescription> topics =
          admin.describeTopics(List.of("flows", "alerts")).allTopicNames().get();
      assertThat(topics.values())
          .allSatisfy(
              topic -> {
                assertThat(topic.partitions())
                    .extracting(TopicPartitionInfo::partition)
                    .containsExactly(0, 1, 2);
                assertThat(topic.partitions())
                    .allSatisfy(p -> assertThat(p.leader().isEmpty()).isFalse());
              });
    }
  }

  @Test
  void deliversRecordsToEveryPartition() {
    KAFKA.createTopics(3, "records");
    List<ProducerRecord<String, String>> sent =
        IntStream.range(0, 30)
            .mapToObj(i -> new ProducerRecord<>("records", i % 3, "key-" + i, "value-" + i))
            .toList();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
      sent.forEach(producer::send);
    }

    List<ConsumerRecord<String, String>> received =
        consume("records", "read_uncommitted", records -> records.size() >= sent.size());

    assertThat(received)
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(ProducerRecord::value).toList());
    assertThat(received).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
  }

  @Test
  void readCommittedConsumerSeesCommittedTransactionsOnly() {
    KAFKA.createTopics(3, "transactions");
    Map<String, Object> config = producerConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-it");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      producer.initTransactions();
      sendInTransaction(producer, "committed-1", "committed-2");
      producer.commitTransaction();
      sendInTransaction(producer, "aborted");
      producer.abortTransaction();
      sendInTransaction(producer, "end");
      producer.commitTransaction();
    }

    List<ConsumerRecord<String, String>> received =
        consume(
            "transactions",
            "read_committed",
            records -> records.stream().anyMatch(r -> r.value().equals("end")));

    assertThat(received)
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder("committed-1", "committed-2", "end");
  }

  @Test
  void inProcessBrokerAppliesOverridesListensOnLoopbackAndCleansUpOnClose() throws Exception {
    InProcessKafkaBroker broker =
        (InProcessKafkaBroker)
            EmbeddedKafka.builder()
                .inProcessOnly()
                .brokerConfig("transaction.max.timeout.ms", "60000")
                .start();
    int port = Integer.parseInt(broker.bootstrapServers().replaceFirst("^127\\.0\\.0\\.1:", ""));
    Path dataDirectory = broker.dataDirectory();
    try {
      assertThat(listeningAddresses(port)).containsExactly("127.0.0.1");
      assertThat(dataDirectory).isNotEmptyDirectory();
      assertTransactionTimeoutAbove60sIsRejected(broker.bootstrapServers());
    } finally {
      broker.close();
    }

    assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);
    assertThat(dataDirectory).doesNotExist();
  }

  private static void assertTransactionTimeoutAbove60sIsRejected(String bootstrapServers) {
    Map<String, Object> config = producerConfig();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "too-long");
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 61_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      // The 4.2 client reports the broker's INVALID_TRANSACTION_TIMEOUT as a plain KafkaException.
      assertThatThrownBy(producer::initTransactions)
          .isInstanceOf(KafkaException.class)
          .hasMessageContaining("larger than the maximum value allowed by the broker");
    }
  }

  private static void sendInTransaction(KafkaProducer<String, String> producer, String... values) {
    producer.beginTransaction();
    for (int i = 0; i < values.length; i++) {
      producer.send(new ProducerRecord<>("transactions", i % 3, values[i], values[i]));
    }
  }

  private static Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return config;
  }

  private static List<ConsumerRecord<String, String>> consume(
      String topic, String isolationLevel, Predicate<List<ConsumerRecord<String, String>>> done) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            topic + "-reader",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolationLevel,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class);
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
      while (!done.test(received) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    return received;
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
    }
  }

  /** Local addresses with a listening TCP socket on the port, read from Linux's socket table. */
  private static List<String> listeningAddresses(int port) throws IOException {
    Path ipv4 = Path.of("/proc/net/tcp");
    Path ipv6 = Path.of("/proc/net/tcp6");
    Assumptions.assumeTrue(Files.isReadable(ipv4), "needs Linux's /proc/net/tcp");
    String portHex = String.format(":%04X", port);
    List<String> addresses = new ArrayList<>();
    for (Path table : Files.isReadable(ipv6) ? List.of(ipv4, ipv6) : List.of(ipv4)) {
      try (Stream<String> lines = Files.lines(table)) {
        lines
            .skip(1)
            .map(line -> line.trim().split("\\s+"))
            .filter(fields -> fields[1].endsWith(portHex) && fields[3].equals("0A"))
            .map(fields -> decodeAddress(fields[1].substring(0, fields[1].indexOf(':'))))
            .forEach(addresses::add);
      }
    }
    return addresses;
  }

  /**
   * /proc/net/tcp{,6} print an address as 32-bit words in host (little-endian) order. An IPv4
   * socket bound through Java's dual-stack IPv6 socket shows as ::ffff:a.b.c.d, which InetAddress
   * turns back into a.b.c.d.
   */
  private static String decodeAddress(String hex) {
    ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2);
    for (int i = 0; i < hex.length(); i += 8) {
      bytes.putInt(Integer.reverseBytes(Integer.parseUnsignedInt(hex.substring(i, i + 8), 16)));
    }
    try {
      return InetAddress.getByAddress(bytes.array()).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("Unexpected address in /proc/net: " + hex, e);
    }
  }
}

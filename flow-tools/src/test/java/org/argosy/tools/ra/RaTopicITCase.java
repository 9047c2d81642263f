package org.argosy.tools.ra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.kafka.embedded.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** ra -S on a real topic: everything from the start, or from a time on; poison skipped. */
class RaTopicITCase {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final Instant START = Instant.parse("2026-11-29T08:00:00Z");

  private static FlowRecord record(long seq) {
    long stime = (START.toEpochMilli() + seq * 1000) * 1000;
    return FlowRecord.newBuilder()
        .setSite("s")
        .setSensorId("s1")
        .setIface("eth0")
        .setSeq(seq)
        .setStime(stime)
        .setLtime(stime)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .build();
  }

  private String ra(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new RaCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    assertThat(commandLine.execute(args)).as("%s", err).isZero();
    return out.toString();
  }

  @Test
  void readsTheTopicFromTheStartOrFromATime() throws Exception {
    KAFKA.createTopics(2, "flows");
    AvroSingleObjectCodec<FlowRecord> codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (long seq = 0; seq < 100; seq++) {
        FlowRecord record = record(seq);
        producer.send(
            new ProducerRecord<>(
                "flows",
                null,
                record.getStime() / 1000,
                new byte[] {(byte) seq},
                codec.encode(record)));
      }
      producer.send(
          new ProducerRecord<>(
              "flows",
              null,
              START.toEpochMilli(),
              null,
              "poison".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }
    String uri = "kafka://" + KAFKA.bootstrapServers() + "/flows";

    List<String> all = ra("-S", uri, "-c", ",", "-s", "seq").lines().skip(1).toList();
    assertThat(all).hasSize(100);

    Instant since = START.plus(Duration.ofSeconds(60));
    List<Long> later =
        ra("-S", uri, "--since", since.toString(), "-c", ",", "-s", "seq")
            .lines()
            .skip(1)
            .map(Long::parseLong)
            .toList();
    assertThat(later).hasSize(40).allSatisfy(seq -> assertThat(seq).isGreaterThanOrEqualTo(60));
  }

  @Test
  void readsSeveralTopicsTogetherAsOneInput() throws Exception {
    // Per-site topics, as mirrored sites have them: one -S names both.
    KAFKA.createTopics(1, "site-a.flows", "site-b.flows");
    AvroSingleObjectCodec<FlowRecord> codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (long seq = 0; seq < 10; seq++) {
        FlowRecord record = record(seq);
        String site = seq % 2 == 0 ? "site-a" : "site-b";
        record.setSite(site);
        producer.send(new ProducerRecord<>(site + ".flows", codec.encode(record)));
      }
      producer.flush();
    }
    String both = "kafka://" + KAFKA.bootstrapServers() + "/site-a.flows,site-b.flows";

    List<String> sites = ra("-S", both, "-c", ",", "-s", "site").lines().skip(1).toList();
    assertThat(sites).hasSize(10).containsOnly("site-a", "site-b");
    assertThat(sites.stream().filter("site-a"::equals)).hasSize(5);
  }
}

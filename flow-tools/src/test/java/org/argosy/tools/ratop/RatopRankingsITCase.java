package org.argosy.tools.ratop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.kafka.embedded.EmbeddedKafkaExtension;
import org.argosy.query.FlowMerge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** ratop --rankings shows the newest window's ranking from a rankings topic. */
class RatopRankingsITCase {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static FlowAggregate row(String dport, long bytes) {
    FlowAggregate row = FlowMerge.empty();
    row.setReport("top-dports");
    row.setKey(List.of(new KeyField("proto", "6"), new KeyField("dport", dport)));
    row.setSbytes(bytes);
    row.setSpkts(bytes / 100);
    row.setTrans(1);
    row.setStime(1_000_000);
    row.setLtime(3_000_000);
    return row;
  }

  private static TopNRanking ranking(long windowStartSeconds, List<FlowAggregate> rows) {
    return TopNRanking.newBuilder()
        .setReport("top-dports")
        .setWindowStart(windowStartSeconds * 1_000_000)
        .setWindowEnd((windowStartSeconds + 60) * 1_000_000)
        .setSortKeys(List.of("bytes"))
        .setN(10)
        .setKeyCount(rows.size())
        .setRows(rows)
        .build();
  }

  @Test
  void showsTheNewestWindowsRanking() {
    KAFKA.createTopics(1, "flow-topn");
    AvroSingleObjectCodec<TopNRanking> codec = AvroSingleObjectCodec.forClass(TopNRanking.class);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(
          new ProducerRecord<>(
              "flow-topn", codec.encode(ranking(1_800_000_000L, List.of(row("22", 900))))));
      producer.send(
          new ProducerRecord<>(
              "flow-topn",
              codec.encode(ranking(1_800_000_060L, List.of(row("443", 5000), row("80", 7000))))));
      producer.flush();
    }

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new RatopCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit =
        commandLine.execute(
            "-S", "kafka://" + KAFKA.bootstrapServers() + "/flow-topn", "--rankings", "-n");

    assertThat(exit).as("%s", err).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).contains("report top-dports").contains("2027-01-15T08:01:00Z");
    assertThat(lines.get(2)).matches("\\s+1  tcp\\s+80 .*7000.*");
    assertThat(lines.get(3)).matches("\\s+2  tcp\\s+443 .*5000.*");
    assertThat(out.toString()).doesNotContain(" 900 ");
  }
}

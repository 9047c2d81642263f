package org.argosy.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.jobs.source.DeadLetter;
import org.argosy.jobs.source.DeadLetterReason;
import org.argosy.kafka.embedded.EmbeddedKafkaExtension;
import org.argosy.query.AggregateMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Poison records on {@code flows}, against a real broker and Flink: random bytes, a payload with an
 * unknown schema fingerprint, a corrupt (truncated) body and a valid record with absurd values are
 * mixed into the records the sensor meters from the bundled capture. The report job (restart
 * strategy none, so any failure would fail it) runs to the end of its input; the dead-letter topic
 * holds exactly those four with their reasons and origins, the counters count them by reason, and
 * the rankings and aggregates equal those of a run without them.
 */
class DeadLetterITCase {

  private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      JobOnKafka.miniCluster(METRICS.addToConfiguration(new Configuration()));

  /** Wire bytes of samples/demo.pcap (samples/README.md), counted independently of the job. */
  private static final long CAPTURE_BYTES = 10_222_053L;

  private static List<FlowRecord> good;

  @BeforeAll
  static void meterTheCapture() throws Exception {
    good = JobOnKafka.demoRecords();
    assertThat(good).hasSizeGreaterThan(100);
  }

  /** A poison record and the reason the job must give for it. */
  private record Poison(int position, int partition, byte[] value, DeadLetterReason reason) {}

  @Test
  @Timeout(300)
  void poisonRecordsGoToTheDeadLetterTopicAndChangeNoResult() throws Exception {
    AvroSingleObjectCodec<FlowRecord> codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    Random random = new Random(9);
    byte[] noise = new byte[100];
    random.nextBytes(noise);
    noise[0] = 0x00; // never the single-object marker C3 01

    byte[] unknownSchema = codec.encode(good.get(10));
    byte[] fingerprint = {1, 2, 3, 4, 5, 6, 7, 8};
    System.arraycopy(fingerprint, 0, unknownSchema, 2, fingerprint.length);

    byte[] whole = codec.encode(good.get(20));
    byte[] truncated = Arrays.copyOf(whole, 10 + (whole.length - 10) / 3);

    FlowRecord absurd = FlowRecord.newBuilder(good.get(30)).build();
    absurd.setLtime(absurd.getStime() - 1_000_000L); // ends a second before it starts

    int n = good.size();
    List<Poison> poisons =
        List.of(
            new Poison(n / 5, 0, noise, DeadLetterReason.BAD_HEADER),
            new Poison(2 * n / 5, 1, unknownSchema, DeadLetterReason.UNKNOWN_SCHEMA),
            new Poison(3 * n / 5, 0, truncated, DeadLetterReason.CORRUPT_BODY),
            new Poison(4 * n / 5, 1, codec.encode(absurd), DeadLetterReason.ABSURD_VALUES));

    JobOnKafka kafka = new JobOnKafka(KAFKA.bootstrapServers());
    KAFKA.createTopics(JobOnKafka.PARTITIONS, JobOnKafka.topics("clean"));
    KAFKA.createTopics(JobOnKafka.PARTITIONS, JobOnKafka.topics("poisoned"));
    List<ProducerRecord<byte[], byte[]>> clean = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> poisoned = new ArrayList<>();
    Map<Integer, Poison> poisonAt = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      for (Poison poison : poisons) {
        if (poison.position() == i) {
          poisonAt.put(poisoned.size(), poison);
          poisoned.add(
              new ProducerRecord<>(
                  JobOnKafka.flows("poisoned"), poison.partition(), null, poison.value()));
        }
      }
      byte[] value = codec.encode(good.get(i));
      int partition = i % JobOnKafka.PARTITIONS;
      clean.add(new ProducerRecord<>(JobOnKafka.flows("clean"), partition, null, value));
      poisoned.add(new ProducerRecord<>(JobOnKafka.flows("poisoned"), partition, null, value));
    }
    kafka.produce(clean);
    List<RecordMetadata> sent = kafka.produce(poisoned);

    JobID cleanJob = kafka.runWithoutRestarts("clean");
    JobID poisonedJob = kafka.runWithoutRestarts("poisoned");

    // The dead letters: exactly the poison records, as they came, with where from and why.
    List<DeadLetter> letters =
        kafka.readCommitted(JobOnKafka.dlq("poisoned")).stream()
            .map(DeadLetter::fromConsumerRecord)
            .toList();
    assertThat(letters).hasSize(poisons.size());
    for (Map.Entry<Integer, Poison> entry : poisonAt.entrySet()) {
      RecordMetadata where = sent.get(entry.getKey());
      Poison poison = entry.getValue();
      assertThat(letters)
          .as("dead letter of %s", poison.reason())
          .anySatisfy(
              letter -> {
                assertThat(letter.reasonCode()).isEqualTo(poison.reason());
                assertThat(letter.topic).isEqualTo(JobOnKafka.flows("poisoned"));
                assertThat(letter.partition).isEqualTo(where.partition());
                assertThat(letter.offset).isEqualTo(where.offset());
                assertThat(letter.value).isEqualTo(poison.value());
                assertThat(letter.message).isNotBlank();
              });
    }
    assertThat(letters)
        .filteredOn(l -> l.reasonCode() == DeadLetterReason.ABSURD_VALUES)
        .singleElement()
        .satisfies(l -> assertThat(l.message).contains("before stime"));
    assertThat(kafka.readCommitted(JobOnKafka.dlq("clean"))).isEmpty();

    // Counted by reason, one each; nothing in the clean run.
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      assertThat(deadLetterCount(poisonedJob, reason)).as("%s", reason).isEqualTo(1);
      assertThat(deadLetterCount(cleanJob, reason)).as("%s", reason).isZero();
    }

    // The results are those of the run without poison, and are right.
    List<String> rankings = kafka.rankings("clean");
    assertThat(rankings).isNotEmpty();
    assertThat(kafka.rankings("poisoned")).isEqualTo(rankings);
    List<String> aggregates = kafka.aggregatesOf("clean");
    assertThat(kafka.aggregatesOf("poisoned")).isEqualTo(aggregates);
    assertThat(
            kafka.readCommitted(JobOnKafka.aggregates("poisoned")).stream()
                .map(r -> decodeAggregate(r))
                .filter(a -> a.getReport().equals("dports"))
                .mapToLong(AggregateMetrics::bytes)
                .sum())
        .isEqualTo(CAPTURE_BYTES);
    assertThat(kafka.readCommitted(JobOnKafka.late("poisoned"))).isEmpty();
  }

  private static org.argosy.avro.FlowAggregate decodeAggregate(
      ConsumerRecord<byte[], byte[]> record) {
    try {
      return AvroSingleObjectCodec.forClass(org.argosy.avro.FlowAggregate.class)
          .decode(record.value());
    } catch (org.argosy.avro.codec.RecordDecodingException e) {
      throw new AssertionError(e);
    }
  }

  /** The {@code deadLetters} counters of {@code reason}, summed over the job's subtasks. */
  private static long deadLetterCount(JobID job, DeadLetterReason reason) {
    long sum = 0;
    for (Map.Entry<MetricGroup, Map<String, Metric>> group :
        METRICS.getMetricsByGroup().entrySet()) {
      Map<String, String> variables = group.getKey().getAllVariables();
      if (job.toString().equals(variables.get("<job_id>"))
          && reason.name().equals(variables.get("<reason>"))
          && group.getValue().get("deadLetters") instanceof Counter counter) {
        sum += counter.getCount();
      }
    }
    return sum;
  }
}

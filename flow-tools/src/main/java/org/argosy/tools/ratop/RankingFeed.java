package org.argosy.tools.ratop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.argosy.avro.TopNRanking;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.avro.codec.RecordDecodingException;
import org.argosy.tools.io.TopicSource;

/**
 * Follows a rankings topic ({@code flow-topn}) and keeps the newest window's ranking of one report
 * (the first report seen when none is named).
 */
final class RankingFeed {

  private final TopicSource source;
  private final AtomicReference<String> report;
  private final AtomicReference<TopNRanking> latest = new AtomicReference<>();

  RankingFeed(TopicSource source, String report) {
    this.source = source;
    this.report = new AtomicReference<>(report);
  }

  TopNRanking latest() {
    return latest.get();
  }

  /** Reads until the thread is interrupted. */
  void follow() {
    String topic = source.topic();
    AvroSingleObjectCodec<TopNRanking> codec = AvroSingleObjectCodec.forClass(TopNRanking.class);
    KafkaConsumer<byte[], byte[]> consumer = source.consumer();
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<byte[], byte[]> message : consumer.poll(Duration.ofMillis(500))) {
          try {
            offer(codec.decode(message.value()));
          } catch (RecordDecodingException notARanking) {
            // another producer's record on the topic: not ours to show
          }
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException stopped) {
      // the thread was interrupted to stop it; Kafka has set its interrupt flag again
    } finally {
      TopicSource.closeAfterStop(consumer);
    }
  }

  private void offer(TopNRanking ranking) {
    report.compareAndSet(null, ranking.getReport());
    if (!ranking.getReport().equals(report.get())) {
      return;
    }
    latest.accumulateAndGet(
        ranking,
        (current, next) ->
            current == null || next.getWindowStart() >= current.getWindowStart() ? next : current);
  }
}

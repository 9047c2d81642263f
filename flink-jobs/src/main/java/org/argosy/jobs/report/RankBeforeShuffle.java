package org.argosy.jobs.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.TopNRanking;
import org.argosy.query.TopN;
import org.argosy.query.report.ReportDefinition;

/**
 * Local ranking before the shuffle to {@link BoundedPartialTopN}, chained to the window operator:
 * the aggregates a window operator subtask emits are ranked per window and bucket on the heap, and
 * one partial ranking (the best {@code n}, and how many aggregates it saw as its key count) goes on
 * per window, bucket and flush instead of every aggregate. Without it each aggregate was a read, a
 * merge and a write of its bucket's ranking in the ranking stage's keyed state: with RocksDB a
 * deserialization and serialization of {@code n} rows per key, which at a million keys took longer
 * than the window itself (BENCHMARKS.md).
 *
 * <p>Only for reports without allowed lateness: a late firing re-emits an aggregate that replaces
 * its earlier value, which a count and the best {@code n} cannot undo. Partials are flushed before
 * every watermark goes on (the window operator emits a window's aggregates before the watermark
 * that closed it, so the window's partial ranking arrives before that watermark, as its aggregates
 * did), before every checkpoint barrier (so this operator has no state) and at the end of the
 * input. It holds at most {@code n} rows per open window and bucket.
 */
final class RankBeforeShuffle extends FlushBeforeWatermarks<FlowAggregate, TopNRanking> {

  /**
   * The best rows of one window and bucket so far, the window's timestamp downstream, and an
   * aggregate of the window for the ranking's window fields.
   */
  private record Partial(TopN top, long timestamp, FlowAggregate sample) {}

  private final ReportDefinition report;
  private final int buckets;
  private transient Map<String, Partial> partials;

  RankBeforeShuffle(ReportDefinition report, int buckets) {
    if (!report.window().allowedLateness().isZero()) {
      throw new IllegalArgumentException(
          report.name() + " allows late updates: a local top N would miss them");
    }
    this.report = report;
    this.buckets = buckets;
  }

  @Override
  public void open() throws Exception {
    super.open();
    partials = new LinkedHashMap<>();
  }

  @Override
  public void processElement(StreamRecord<FlowAggregate> element) {
    FlowAggregate aggregate = element.getValue();
    partials
        .computeIfAbsent(
            RankingKeys.partialKey(aggregate, buckets),
            key ->
                new Partial(
                    new TopN(report.n(), report.order()), element.getTimestamp(), copy(aggregate)))
        .top()
        .offer(aggregate, RankBeforeShuffle::copy);
  }

  /** With object reuse an upstream operator may refill its output object: keep a copy. */
  private static FlowAggregate copy(FlowAggregate aggregate) {
    return FlowAggregate.newBuilder(aggregate).build();
  }

  @Override
  void flush() {
    for (Partial partial : partials.values()) {
      TopN top = partial.top();
      output.collect(
          new StreamRecord<>(
              RankingKeys.ranking(report, partial.sample(), top, top.offered()),
              partial.timestamp()));
    }
    partials.clear();
  }
}

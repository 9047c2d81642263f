package org.argosy.jobs.topn;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.TopNRanking;
import org.argosy.query.TopN;

/**
 * Ranks the aggregates of one window (the key is the window start). State holds only the best
 * {@code n} so far and the number of keys seen; the ranking is emitted when the watermark passes
 * the window's end, i.e. after every aggregate of that window has arrived.
 */
final class RankWindow extends KeyedProcessFunction<Long, FlowAggregate, TopNRanking> {

  private final TopNReport report;
  private transient ListState<FlowAggregate> best;
  private transient ValueState<Long> keyCount;

  RankWindow(TopNReport report) {
    this.report = report;
  }

  @Override
  public void open(OpenContext openContext) {
    best = getRuntimeContext().getListState(new ListStateDescriptor<>("best", FlowAggregate.class));
    keyCount = getRuntimeContext().getState(new ValueStateDescriptor<>("key-count", Long.class));
  }

  @Override
  public void processElement(FlowAggregate aggregate, Context ctx, Collector<TopNRanking> out)
      throws Exception {
    TopN top = new TopN(report.n(), report.order());
    for (FlowAggregate kept : best.get()) {
      top.offer(kept);
    }
    top.offer(aggregate);
    best.update(top.best());
    Long count = keyCount.value();
    keyCount.update(count == null ? 1 : count + 1);
    // The window operator emits at window.maxTimestamp(); fire once that watermark has passed.
    ctx.timerService().registerEventTimeTimer(ctx.timestamp());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<TopNRanking> out)
      throws Exception {
    List<FlowAggregate> rows = new ArrayList<>();
    best.get().forEach(rows::add);
    rows.sort(report.order());
    FlowAggregate first = rows.get(0);
    out.collect(
        TopNRanking.newBuilder()
            .setReport(report.name())
            .setWindowStart(first.getWindowStart())
            .setWindowEnd(first.getWindowEnd())
            .setSortKeys(report.order().keyNames())
            .setN(report.n())
            .setKeyCount(keyCount.value())
            .setRows(rows)
            .build());
    best.clear();
    keyCount.clear();
  }
}

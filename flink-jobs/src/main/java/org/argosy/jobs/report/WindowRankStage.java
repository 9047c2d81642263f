package org.argosy.jobs.report;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The life of one window in a ranking stage, keyed by (window, ...): inputs are stored until the
 * watermark passes the window's end (every input of the window has arrived, as the window operator
 * emits at {@code window.maxTimestamp()}), then the result is emitted once. During the allowed
 * lateness a late input updates the state and the result is emitted again at once; afterwards the
 * state is dropped.
 */
abstract class WindowRankStage<K, IN, OUT> extends KeyedProcessFunction<K, IN, OUT> {

  private final long allowedLatenessMillis;
  private transient ValueState<Boolean> emitted;

  WindowRankStage(long allowedLatenessMillis) {
    this.allowedLatenessMillis = allowedLatenessMillis;
  }

  /** Adds an input of the current window to the state. */
  abstract void store(IN input) throws Exception;

  /** The result for the current window from the state. */
  abstract OUT result() throws Exception;

  /** Drops the state of the current window. */
  abstract void clear();

  @Override
  public void open(OpenContext openContext) throws Exception {
    emitted = getRuntimeContext().getState(new ValueStateDescriptor<>("emitted", Boolean.class));
  }

  @Override
  public void processElement(IN input, Context ctx, Collector<OUT> out) throws Exception {
    store(input);
    if (emitted.value() != null) {
      out.collect(result());
    } else if (ctx.timestamp() <= ctx.timerService().currentWatermark()) {
      // The first input of this key is a late update: the window closed before it arrived.
      out.collect(result());
      keepForLateness(ctx.timestamp(), ctx.timerService());
    } else {
      ctx.timerService().registerEventTimeTimer(ctx.timestamp());
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
    if (emitted.value() == null) {
      out.collect(result());
      keepForLateness(timestamp, ctx.timerService());
    } else {
      clear();
      emitted.clear();
    }
  }

  /** After the first result: keep the state for late updates, or drop it when none may come. */
  private void keepForLateness(long windowEnd, TimerService timers) throws Exception {
    if (allowedLatenessMillis > 0) {
      emitted.update(true);
      timers.registerEventTimeTimer(windowEnd + allowedLatenessMillis);
    } else {
      clear();
    }
  }
}

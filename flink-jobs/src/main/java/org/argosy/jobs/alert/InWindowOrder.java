package org.argosy.jobs.alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAlert;

/**
 * Hands a stage its candidates window by window, in time order. Candidates come from parallel
 * stages that may be windows apart (a ranking of a later window can overtake an earlier one), so
 * each waits until the watermark passes its window's end (by then every candidate of that window
 * has arrived, as upstream stages emit at the window's last timestamp) and the due windows are
 * handed over oldest first.
 *
 * <p>Within a window the order is fixed too ({@link #JUDGING_ORDER}), not the order of arrival,
 * which differs between runs and after a restart: the elephant rule judges a conversation by bytes
 * and by share, and the lifecycle reports the first of the two candidates, so that alert's
 * threshold would otherwise depend on which path was faster.
 */
abstract class InWindowOrder extends KeyedProcessFunction<String, FlowAlert, FlowAlert> {

  static final long MICROS_PER_MILLI = 1000;

  /**
   * Oldest window first; within one, lowest threshold first (of one condition judged by two
   * criteria, the one it exceeds more), then by key.
   */
  static final Comparator<FlowAlert> JUDGING_ORDER =
      Comparator.comparingLong(FlowAlert::getWindowStart)
          .thenComparingDouble(FlowAlert::getThreshold)
          .thenComparing(candidate -> Candidates.keyText(candidate.getKey()));

  private transient ListState<FlowAlert> waiting;

  /** Judges the candidates of the windows that ended at or before {@code timestamp}. */
  abstract void judge(
      long timestamp, List<FlowAlert> due, OnTimerContext ctx, Collector<FlowAlert> out)
      throws Exception;

  @Override
  public void open(OpenContext openContext) throws Exception {
    waiting =
        getRuntimeContext()
            .getListState(
                new ListStateDescriptor<>("waiting", TypeInformation.of(FlowAlert.class)));
  }

  @Override
  public void processElement(FlowAlert candidate, Context ctx, Collector<FlowAlert> out)
      throws Exception {
    // A copy: with object reuse the runtime may refill the input object.
    waiting.add(FlowAlert.newBuilder(candidate).build());
    ctx.timerService().registerEventTimeTimer(lastTimestamp(candidate));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlowAlert> out)
      throws Exception {
    List<FlowAlert> due = new ArrayList<>();
    List<FlowAlert> later = new ArrayList<>();
    for (FlowAlert candidate : waiting.get()) {
      (lastTimestamp(candidate) <= timestamp ? due : later).add(candidate);
    }
    waiting.update(later);
    due.sort(JUDGING_ORDER);
    judge(timestamp, due, ctx, out);
  }

  /** The last event time (ms) of the candidate's window, when its results are all in. */
  private static long lastTimestamp(FlowAlert candidate) {
    return candidate.getWindowEnd() / MICROS_PER_MILLI - 1;
  }
}

package org.argosy.jobs.report;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAggregate;
import org.argosy.query.ClusterKeySpec;

/** Stamps a finished aggregate with its report, window (in microseconds) and named key fields. */
final class LabelAggregate
    extends ProcessWindowFunction<FlowAggregate, FlowAggregate, String, TimeWindow> {

  private static final long MICROS_PER_MILLI = 1000;
  private final String report;
  private final ClusterKeySpec clusterKey;

  LabelAggregate(String report, ClusterKeySpec clusterKey) {
    this.report = report;
    this.clusterKey = clusterKey;
  }

  @Override
  public void process(
      String key, Context context, Iterable<FlowAggregate> merged, Collector<FlowAggregate> out) {
    TimeWindow window = context.window();
    for (FlowAggregate aggregate : merged) {
      // A late firing re-emits the accumulator: copy so that the emitted record stays immutable.
      FlowAggregate labelled = FlowAggregate.newBuilder(aggregate).build();
      labelled.setReport(report);
      labelled.setWindowStart(window.getStart() * MICROS_PER_MILLI);
      labelled.setWindowEnd(window.getEnd() * MICROS_PER_MILLI);
      labelled.setKey(clusterKey.keyFields(key));
      out.collect(labelled);
    }
  }
}

package org.argosy.jobs.topn;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAggregate;

/** Stamps a finished aggregate with its report, window (in microseconds) and named key fields. */
final class LabelAggregate
    extends ProcessWindowFunction<FlowAggregate, FlowAggregate, String, TimeWindow> {

  private static final long MICROS_PER_MILLI = 1000;
  private final TopNReport report;

  LabelAggregate(TopNReport report) {
    this.report = report;
  }

  @Override
  public void process(
      String key, Context context, Iterable<FlowAggregate> merged, Collector<FlowAggregate> out) {
    TimeWindow window = context.window();
    for (FlowAggregate aggregate : merged) {
      aggregate.setReport(report.name());
      aggregate.setWindowStart(window.getStart() * MICROS_PER_MILLI);
      aggregate.setWindowEnd(window.getEnd() * MICROS_PER_MILLI);
      aggregate.setKey(report.clusterKey().keyFields(key));
      out.collect(aggregate);
    }
  }
}

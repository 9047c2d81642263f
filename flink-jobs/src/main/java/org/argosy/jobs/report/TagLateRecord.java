package org.argosy.jobs.report;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.argosy.avro.FlowRecord;

/**
 * Pairs a record that came too late for a report's window (after its allowed lateness) with the
 * report's name, for topic {@code flows-late}, and counts it in the report's {@code lateRecords}.
 */
public final class TagLateRecord extends RichMapFunction<FlowRecord, Tuple2<String, FlowRecord>> {

  private final String group;
  private final String report;
  private transient Counter lateRecords;

  TagLateRecord(String report) {
    this(ReportMetrics.REPORT, report);
  }

  /**
   * @param group the metric group's kind: {@code report} or {@code rule}
   */
  public TagLateRecord(String group, String report) {
    this.group = group;
    this.report = report;
  }

  @Override
  public void open(OpenContext openContext) {
    lateRecords =
        ReportMetrics.group(getRuntimeContext().getMetricGroup(), group, report)
            .counter("lateRecords");
  }

  @Override
  public Tuple2<String, FlowRecord> map(FlowRecord record) {
    lateRecords.inc();
    return Tuple2.of(report, record);
  }
}

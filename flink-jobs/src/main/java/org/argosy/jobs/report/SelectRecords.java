package org.argosy.jobs.report;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;
import org.argosy.avro.FlowRecord;
import org.argosy.query.filter.FlowFilter;

/**
 * A report's filter, with the report's metrics {@code recordsIn} and {@code filteredOut} (group
 * {@code report.<name>} in the web UI).
 */
public final class SelectRecords extends RichFilterFunction<FlowRecord> {

  private final String group;
  private final String report;
  private final FlowFilter filter;
  private transient Counter recordsIn;
  private transient Counter filteredOut;

  /** A report's filter, its metrics in group {@code report.<name>}. */
  SelectRecords(String report, FlowFilter filter) {
    this(ReportMetrics.REPORT, report, filter);
  }

  /**
   * @param group the metric group's kind: {@code report} or {@code rule}
   */
  public SelectRecords(String group, String report, FlowFilter filter) {
    this.group = group;
    this.report = report;
    this.filter = filter;
  }

  @Override
  public void open(OpenContext openContext) {
    var metrics = ReportMetrics.group(getRuntimeContext().getMetricGroup(), group, report);
    recordsIn = metrics.counter("recordsIn");
    filteredOut = metrics.counter("filteredOut");
  }

  @Override
  public boolean filter(FlowRecord record) {
    recordsIn.inc();
    if (filter.matches(record)) {
      return true;
    }
    filteredOut.inc();
    return false;
  }
}

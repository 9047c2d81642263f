package org.argosy.jobs.report;

import org.apache.flink.metrics.MetricGroup;

/** Every per-report metric lives in the group {@code report.<name>}. */
final class ReportMetrics {

  private ReportMetrics() {}

  static MetricGroup group(MetricGroup operator, String report) {
    return operator.addGroup("report", report);
  }
}

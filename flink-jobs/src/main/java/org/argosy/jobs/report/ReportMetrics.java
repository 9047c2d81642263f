package org.argosy.jobs.report;

import org.apache.flink.metrics.MetricGroup;

/**
 * Every per-report metric lives in the group {@code report.<name>}, every per-rule metric of the
 * alert job in {@code rule.<name>}.
 */
public final class ReportMetrics {

  public static final String REPORT = "report";
  public static final String RULE = "rule";

  private ReportMetrics() {}

  static MetricGroup group(MetricGroup operator, String kind, String name) {
    return operator.addGroup(kind, name);
  }
}

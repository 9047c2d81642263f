package org.argosy.jobs.report;

import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.query.TopN;
import org.argosy.query.report.ReportDefinition;

/** How the ranking stages key aggregates and build rankings. */
final class RankingKeys {

  private static final char SEPARATOR = '\u001f';

  private RankingKeys() {}

  /** The cluster key values of an aggregate as one string. */
  static String keyText(FlowAggregate aggregate) {
    StringBuilder text = new StringBuilder();
    for (KeyField field : aggregate.getKey()) {
      text.append(field.getValue()).append(SEPARATOR);
    }
    return text.toString();
  }

  /** Spreads the keys of one window over {@code buckets} partial rankings. */
  static int bucket(FlowAggregate aggregate, int buckets) {
    return Math.floorMod(keyText(aggregate).hashCode(), buckets);
  }

  /** The key of the partial stage: window and bucket. */
  static String partialKey(FlowAggregate aggregate, int buckets) {
    return aggregate.getWindowStart() + "/" + bucket(aggregate, buckets);
  }

  /** The ranking of {@code top} for the window of {@code sample}. */
  static TopNRanking ranking(
      ReportDefinition report, FlowAggregate sample, TopN top, long keyCount) {
    List<FlowAggregate> rows = top.best();
    return TopNRanking.newBuilder()
        .setReport(report.name())
        .setWindowStart(sample.getWindowStart())
        .setWindowEnd(sample.getWindowEnd())
        .setSortKeys(report.order().keyNames())
        .setN(report.n())
        .setKeyCount(keyCount)
        .setRows(rows)
        .build();
  }
}

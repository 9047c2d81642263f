package org.argosy.jobs.report;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Gauge;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.TopNRanking;
import org.argosy.query.TopN;
import org.argosy.query.report.ReportDefinition;

/**
 * The second ranking stage, keyed by window: merges the partial rankings of the buckets (at most
 * {@code buckets * n} rows) into the window's top N; the key count is the sum of the buckets'.
 * Gauge {@code report.<name>.lastWindowKeys}: the distinct keys of the newest window, the size of
 * the window state that the report's aggregation held for it.
 */
final class MergeTopN extends WindowRankStage<Long, Tuple2<Integer, TopNRanking>, TopNRanking> {

  private final ReportDefinition report;
  private transient MapState<Integer, TopNRanking> partials;

  /** Distinct keys of the newest window ranked: how many keys the window state held. */
  private transient volatile long lastWindowKeys;

  MergeTopN(ReportDefinition report) {
    super(report.window().allowedLateness().toMillis());
    this.report = report;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    super.open(openContext);
    partials =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "partials",
                    TypeInformation.of(Integer.class),
                    TypeInformation.of(TopNRanking.class)));
    ReportMetrics.group(getRuntimeContext().getMetricGroup(), ReportMetrics.REPORT, report.name())
        .gauge("lastWindowKeys", (Gauge<Long>) () -> lastWindowKeys);
  }

  @Override
  void store(Tuple2<Integer, TopNRanking> partial) throws Exception {
    // A copy: with object reuse the runtime refills the input object for the next record.
    partials.put(partial.f0, TopNRanking.newBuilder(partial.f1).build());
  }

  @Override
  TopNRanking result() throws Exception {
    TopN top = new TopN(report.n(), report.order());
    long keyCount = 0;
    FlowAggregate sample = null;
    for (TopNRanking partial : partials.values()) {
      keyCount += partial.getKeyCount();
      for (FlowAggregate row : partial.getRows()) {
        top.offer(row);
        sample = row;
      }
    }
    lastWindowKeys = keyCount;
    return RankingKeys.ranking(report, sample, top, keyCount);
  }

  @Override
  void clear() {
    partials.clear();
  }
}

package org.argosy.jobs.report;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.TopNRanking;
import org.argosy.query.TopN;
import org.argosy.query.report.ReportDefinition;

/**
 * The first ranking stage, in parallel: the aggregates of one window and one key bucket ({@link
 * RankingKeys#bucket}) ranked into a partial top N, emitted with its bucket so that the merge stage
 * can replace it when a late record updates it. All aggregates of the bucket are kept until the
 * allowed lateness is over, because a late update can lower an aggregate's load or rate and let
 * another one in.
 */
final class PartialTopN
    extends WindowRankStage<String, FlowAggregate, Tuple2<Integer, TopNRanking>> {

  private final ReportDefinition report;
  private final int buckets;
  private transient MapState<String, FlowAggregate> aggregates;

  PartialTopN(ReportDefinition report, int buckets) {
    super(report.window().allowedLateness().toMillis());
    this.report = report;
    this.buckets = buckets;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    super.open(openContext);
    aggregates =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "aggregates",
                    TypeInformation.of(String.class),
                    TypeInformation.of(FlowAggregate.class)));
  }

  @Override
  void store(FlowAggregate aggregate) throws Exception {
    // A copy: with object reuse the runtime refills the input object for the next record.
    aggregates.put(RankingKeys.keyText(aggregate), FlowAggregate.newBuilder(aggregate).build());
  }

  @Override
  Tuple2<Integer, TopNRanking> result() throws Exception {
    TopN top = new TopN(report.n(), report.order());
    FlowAggregate first = null;
    for (FlowAggregate aggregate : aggregates.values()) {
      top.offer(aggregate);
      first = aggregate;
    }
    return Tuple2.of(
        RankingKeys.bucket(first, buckets), RankingKeys.ranking(report, first, top, top.offered()));
  }

  @Override
  void clear() {
    aggregates.clear();
  }
}

package org.argosy.jobs.report;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.argosy.avro.FlowAggregate;
import org.argosy.query.FlowMerge;

/**
 * Incremental racluster merge of one key and window from the partial aggregates of {@link
 * CombineBeforeShuffle} (see {@link FlowMerge}).
 */
final class AggregateFlowRecords
    implements AggregateFunction<Tuple2<String, FlowAggregate>, FlowAggregate, FlowAggregate> {

  @Override
  public FlowAggregate createAccumulator() {
    return FlowMerge.empty();
  }

  @Override
  public FlowAggregate add(Tuple2<String, FlowAggregate> partial, FlowAggregate accumulator) {
    return FlowMerge.merge(accumulator, partial.f1);
  }

  @Override
  public FlowAggregate getResult(FlowAggregate accumulator) {
    return accumulator;
  }

  @Override
  public FlowAggregate merge(FlowAggregate a, FlowAggregate b) {
    return FlowMerge.merge(a, b);
  }
}

package org.argosy.jobs.topn;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.query.FlowMerge;

/** Incremental racluster merge of the records of one key and window (see {@link FlowMerge}). */
final class AggregateFlowRecords
    implements AggregateFunction<FlowRecord, FlowAggregate, FlowAggregate> {

  @Override
  public FlowAggregate createAccumulator() {
    return FlowMerge.empty();
  }

  @Override
  public FlowAggregate add(FlowRecord record, FlowAggregate accumulator) {
    return FlowMerge.add(accumulator, record);
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

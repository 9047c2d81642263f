package org.argosy.jobs.topn;

import org.apache.flink.api.java.functions.KeySelector;
import org.argosy.avro.FlowRecord;
import org.argosy.query.ClusterKeySpec;

/** Keys a record by its encoded cluster key. */
final class ClusterKeySelector implements KeySelector<FlowRecord, String> {

  private final ClusterKeySpec spec;

  ClusterKeySelector(ClusterKeySpec spec) {
    this.spec = spec;
  }

  @Override
  public String getKey(FlowRecord record) {
    return spec.keyOf(record);
  }
}

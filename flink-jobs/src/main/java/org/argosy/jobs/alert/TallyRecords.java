package org.argosy.jobs.alert;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.argosy.avro.FlowRecord;
import org.argosy.query.FlowKeyField;

/** Tallies a rule's records per key and window as they arrive (no record is kept). */
final class TallyRecords implements AggregateFunction<FlowRecord, WindowTally, WindowTally> {

  /** The field whose distinct values a distinct rule counts; null for other rules. */
  private final FlowKeyField countedField;

  TallyRecords(FlowKeyField countedField) {
    this.countedField = countedField;
  }

  @Override
  public WindowTally createAccumulator() {
    return new WindowTally();
  }

  @Override
  public WindowTally add(FlowRecord record, WindowTally tally) {
    tally.add(record, countedField);
    return tally;
  }

  @Override
  public WindowTally getResult(WindowTally tally) {
    return tally;
  }

  @Override
  public WindowTally merge(WindowTally a, WindowTally b) {
    a.merge(b);
    return a;
  }
}

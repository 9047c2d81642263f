package org.argosy.query;

import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;

/**
 * racluster's merge: per-side counters summed, {@code trans} counts the records merged, {@code
 * stime} is the minimum and {@code ltime} the maximum. The one implementation shared by the
 * streaming jobs and the command-line tools. Accumulators are {@link FlowAggregate}s whose report,
 * window and key are filled in when the group is complete.
 */
public final class FlowMerge {

  private FlowMerge() {}

  /** An accumulator that has merged nothing yet. */
  public static FlowAggregate empty() {
    return FlowAggregate.newBuilder()
        .setReport("")
        .setWindowStart(0)
        .setWindowEnd(0)
        .setKey(List.<KeyField>of())
        .setSpkts(0)
        .setDpkts(0)
        .setSbytes(0)
        .setDbytes(0)
        .setSappbytes(0)
        .setDappbytes(0)
        .setTrans(0)
        .setStime(Long.MAX_VALUE)
        .setLtime(Long.MIN_VALUE)
        .build();
  }

  /** Adds one flow record to {@code into} and returns it. */
  public static FlowAggregate add(FlowAggregate into, FlowRecord record) {
    into.setSpkts(into.getSpkts() + record.getSpkts());
    into.setDpkts(into.getDpkts() + record.getDpkts());
    into.setSbytes(into.getSbytes() + record.getSbytes());
    into.setDbytes(into.getDbytes() + record.getDbytes());
    into.setSappbytes(into.getSappbytes() + record.getSappbytes());
    into.setDappbytes(into.getDappbytes() + record.getDappbytes());
    into.setTrans(into.getTrans() + 1);
    into.setStime(Math.min(into.getStime(), record.getStime()));
    into.setLtime(Math.max(into.getLtime(), record.getLtime()));
    return into;
  }

  /** Merges {@code other} into {@code into} and returns it. */
  public static FlowAggregate merge(FlowAggregate into, FlowAggregate other) {
    into.setSpkts(into.getSpkts() + other.getSpkts());
    into.setDpkts(into.getDpkts() + other.getDpkts());
    into.setSbytes(into.getSbytes() + other.getSbytes());
    into.setDbytes(into.getDbytes() + other.getDbytes());
    into.setSappbytes(into.getSappbytes() + other.getSappbytes());
    into.setDappbytes(into.getDappbytes() + other.getDappbytes());
    into.setTrans(into.getTrans() + other.getTrans());
    into.setStime(Math.min(into.getStime(), other.getStime()));
    into.setLtime(Math.max(into.getLtime(), other.getLtime()));
    return into;
  }
}

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

  /**
   * An accumulator that has merged nothing yet. Made by the all-fields constructor: Avro's builder
   * looks up and copies each field's default, which racluster paid for every new key.
   */
  public static FlowAggregate empty() {
    return new FlowAggregate(
        "", // report
        0L, // windowStart
        0L, // windowEnd
        List.<KeyField>of(),
        0L, // spkts
        0L, // dpkts
        0L, // sbytes
        0L, // dbytes
        0L, // sappbytes
        0L, // dappbytes
        0L, // trans
        Long.MAX_VALUE, // stime
        Long.MIN_VALUE); // ltime
  }

  /** Adds one flow record to {@code into} and returns it. */
  public static FlowAggregate add(FlowAggregate into, FlowRecord record) {
    return add(
        into,
        record.getSpkts(),
        record.getDpkts(),
        record.getSbytes(),
        record.getDbytes(),
        record.getSappbytes(),
        record.getDappbytes(),
        record.getStime(),
        record.getLtime());
  }

  /**
   * Adds one flow record given by the values the merge reads, for readers that have them without a
   * record object (columnar files), and returns {@code into}.
   */
  public static FlowAggregate add(
      FlowAggregate into,
      long spkts,
      long dpkts,
      long sbytes,
      long dbytes,
      long sappbytes,
      long dappbytes,
      long stime,
      long ltime) {
    return accumulate(into, spkts, dpkts, sbytes, dbytes, sappbytes, dappbytes, 1, stime, ltime);
  }

  /** Merges {@code other} into {@code into} and returns it. */
  public static FlowAggregate merge(FlowAggregate into, FlowAggregate other) {
    return accumulate(
        into,
        other.getSpkts(),
        other.getDpkts(),
        other.getSbytes(),
        other.getDbytes(),
        other.getSappbytes(),
        other.getDappbytes(),
        other.getTrans(),
        other.getStime(),
        other.getLtime());
  }

  private static FlowAggregate accumulate(
      FlowAggregate into,
      long spkts,
      long dpkts,
      long sbytes,
      long dbytes,
      long sappbytes,
      long dappbytes,
      long trans,
      long stime,
      long ltime) {
    into.setSpkts(into.getSpkts() + spkts);
    into.setDpkts(into.getDpkts() + dpkts);
    into.setSbytes(into.getSbytes() + sbytes);
    into.setDbytes(into.getDbytes() + dbytes);
    into.setSappbytes(into.getSappbytes() + sappbytes);
    into.setDappbytes(into.getDappbytes() + dappbytes);
    into.setTrans(into.getTrans() + trans);
    into.setStime(Math.min(into.getStime(), stime));
    into.setLtime(Math.max(into.getLtime(), ltime));
    return into;
  }
}

package org.argosy.query;

import java.util.Arrays;
import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;

/**
 * racluster's merge: per-side counters summed, {@code trans} counts the records merged, {@code
 * stime} is the minimum and {@code ltime} the maximum. The one implementation shared by the
 * streaming jobs and the command-line tools.
 *
 * <p>The rule is written once, over the merge's {@value #VALUES} values laid out in a {@code
 * long[]} ({@link #accumulate(long[], int, long, long, long, long, long, long, long, long, long)}):
 * a reader that keeps many groups (racluster over a columnar file) keeps them in one array beside
 * their keys, one memory access per row. The {@link FlowAggregate} accumulators the jobs keep go
 * through the same rule: their values are copied out, merged and copied back, which the JIT turns
 * into field updates (the small array does not escape).
 */
public final class FlowMerge {

  /** How many values an accumulator has, in this order. */
  public static final int VALUES = 9;

  private static final int SPKTS = 0;
  private static final int DPKTS = 1;
  private static final int SBYTES = 2;
  private static final int DBYTES = 3;
  private static final int SAPPBYTES = 4;
  private static final int DAPPBYTES = 5;
  private static final int TRANS = 6;
  private static final int STIME = 7;
  private static final int LTIME = 8;

  private FlowMerge() {}

  /** Sets the {@value #VALUES} values at {@code at} to an accumulator that has merged nothing. */
  public static void clear(long[] values, int at) {
    Arrays.fill(values, at, at + STIME, 0);
    values[at + STIME] = Long.MAX_VALUE;
    values[at + LTIME] = Long.MIN_VALUE;
  }

  /** An accumulator that has merged nothing yet. */
  public static FlowAggregate empty() {
    long[] values = new long[VALUES];
    clear(values, 0);
    return toAggregate(values, 0);
  }

  /**
   * The values at {@code at} as an aggregate whose report, window and key are still to be filled
   * in. Made by the all-fields constructor: Avro's builder looks up and copies each field's
   * default, which racluster paid for every new key.
   */
  public static FlowAggregate toAggregate(long[] values, int at) {
    return new FlowAggregate(
        "", // report
        0L, // windowStart
        0L, // windowEnd
        List.<KeyField>of(),
        values[at + SPKTS],
        values[at + DPKTS],
        values[at + SBYTES],
        values[at + DBYTES],
        values[at + SAPPBYTES],
        values[at + DAPPBYTES],
        values[at + TRANS],
        values[at + STIME],
        values[at + LTIME]);
  }

  /** Adds one flow record to {@code into} and returns it. */
  public static FlowAggregate add(FlowAggregate into, FlowRecord record) {
    long[] values = valuesOf(into);
    accumulate(
        values,
        0,
        record.getSpkts(),
        record.getDpkts(),
        record.getSbytes(),
        record.getDbytes(),
        record.getSappbytes(),
        record.getDappbytes(),
        1,
        record.getStime(),
        record.getLtime());
    return store(values, into);
  }

  /** Merges {@code other} into {@code into} and returns it. */
  public static FlowAggregate merge(FlowAggregate into, FlowAggregate other) {
    long[] values = valuesOf(into);
    accumulate(
        values,
        0,
        other.getSpkts(),
        other.getDpkts(),
        other.getSbytes(),
        other.getDbytes(),
        other.getSappbytes(),
        other.getDappbytes(),
        other.getTrans(),
        other.getStime(),
        other.getLtime());
    return store(values, into);
  }

  private static long[] valuesOf(FlowAggregate aggregate) {
    return new long[] {
      aggregate.getSpkts(),
      aggregate.getDpkts(),
      aggregate.getSbytes(),
      aggregate.getDbytes(),
      aggregate.getSappbytes(),
      aggregate.getDappbytes(),
      aggregate.getTrans(),
      aggregate.getStime(),
      aggregate.getLtime()
    };
  }

  private static FlowAggregate store(long[] values, FlowAggregate into) {
    into.setSpkts(values[SPKTS]);
    into.setDpkts(values[DPKTS]);
    into.setSbytes(values[SBYTES]);
    into.setDbytes(values[DBYTES]);
    into.setSappbytes(values[SAPPBYTES]);
    into.setDappbytes(values[DAPPBYTES]);
    into.setTrans(values[TRANS]);
    into.setStime(values[STIME]);
    into.setLtime(values[LTIME]);
    return into;
  }

  /**
   * Adds one flow record, given by the values the merge reads, to the accumulator at {@code at}:
   * for readers that have them without a record object (columnar files).
   */
  public static void add(
      long[] into,
      int at,
      long spkts,
      long dpkts,
      long sbytes,
      long dbytes,
      long sappbytes,
      long dappbytes,
      long stime,
      long ltime) {
    accumulate(into, at, spkts, dpkts, sbytes, dbytes, sappbytes, dappbytes, 1, stime, ltime);
  }

  /** The merge rule. */
  private static void accumulate(
      long[] into,
      int at,
      long spkts,
      long dpkts,
      long sbytes,
      long dbytes,
      long sappbytes,
      long dappbytes,
      long trans,
      long stime,
      long ltime) {
    into[at + SPKTS] += spkts;
    into[at + DPKTS] += dpkts;
    into[at + SBYTES] += sbytes;
    into[at + DBYTES] += dbytes;
    into[at + SAPPBYTES] += sappbytes;
    into[at + DAPPBYTES] += dappbytes;
    into[at + TRANS] += trans;
    into[at + STIME] = Math.min(into[at + STIME], stime);
    into[at + LTIME] = Math.max(into[at + LTIME], ltime);
  }
}

package org.argosy.query;

import org.argosy.avro.FlowAggregate;

/** Argus's derived metrics of an aggregate, computed from its counters and span, never stored. */
public final class AggregateMetrics {

  private static final double MICROS_PER_SECOND = 1_000_000.0;

  private AggregateMetrics() {}

  public static long pkts(FlowAggregate a) {
    return a.getSpkts() + a.getDpkts();
  }

  public static long bytes(FlowAggregate a) {
    return a.getSbytes() + a.getDbytes();
  }

  /** ltime - stime in seconds. */
  public static double dur(FlowAggregate a) {
    return Math.max(0, a.getLtime() - a.getStime()) / MICROS_PER_SECOND;
  }

  /** Bits per second over the span; 0 for a span of zero, as Argus prints it. */
  public static double load(FlowAggregate a) {
    double dur = dur(a);
    return dur == 0 ? 0 : bytes(a) * 8 / dur;
  }

  /**
   * Bits per second of one flow record as Argus's {@code ra -s load} prints it: per side, the
   * side's bytes less one mean-sized packet (integer division: n packets span n - 1 gaps), times 8,
   * over the record's span {@code dur} in seconds; a side of fewer than two packets adds 0, and a
   * span of zero gives 0. Argus prints it in single precision; this is the same within that.
   */
  public static double recordLoad(long spkts, long sbytes, long dpkts, long dbytes, double dur) {
    return dur <= 0 ? 0 : (sideBits(spkts, sbytes) + sideBits(dpkts, dbytes)) / dur;
  }

  private static double sideBits(long pkts, long bytes) {
    return pkts < 2 ? 0 : (bytes - bytes / pkts) * 8.0;
  }

  /** Packets per second over the span; 0 for a span of zero. */
  public static double rate(FlowAggregate a) {
    double dur = dur(a);
    return dur == 0 ? 0 : pkts(a) / dur;
  }
}

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

  /** Packets per second over the span; 0 for a span of zero. */
  public static double rate(FlowAggregate a) {
    double dur = dur(a);
    return dur == 0 ? 0 : pkts(a) / dur;
  }
}

package org.argosy.query.filter;

import java.util.function.ToDoubleFunction;
import org.argosy.avro.FlowRecord;

/**
 * The numeric flow fields a filter compares ({@code bytes gt 1000}, {@code src pkts lt 3}, {@code
 * dur gte 10}), each read per side and, where Argus has one, as a flow total used when no {@code
 * src}/{@code dst} qualifier is given. Values are those of the one record being filtered.
 */
enum Counter {
  PKTS("pkts", r -> r.getSpkts(), r -> r.getDpkts(), r -> r.getSpkts() + r.getDpkts()),
  BYTES("bytes", r -> r.getSbytes(), r -> r.getDbytes(), r -> r.getSbytes() + r.getDbytes()),
  APPBYTES(
      "appbytes",
      r -> r.getSappbytes(),
      r -> r.getDappbytes(),
      r -> r.getSappbytes() + r.getDappbytes()),
  TTL("ttl", r -> orNaN(r.getSttl()), r -> orNaN(r.getDttl()), null),
  TOS("tos", r -> orNaN(r.getStos()), r -> orNaN(r.getDtos()), null),
  DUR("dur", null, null, Counter::seconds),
  LOAD(
      "load",
      r -> perSecond(r.getSbytes() * 8, r),
      r -> perSecond(r.getDbytes() * 8, r),
      r -> perSecond((r.getSbytes() + r.getDbytes()) * 8, r)),
  RATE(
      "rate",
      r -> perSecond(r.getSpkts(), r),
      r -> perSecond(r.getDpkts(), r),
      r -> perSecond(r.getSpkts() + r.getDpkts(), r));

  /** A reader that is serializable, so compiled filters are. */
  interface Reader extends ToDoubleFunction<FlowRecord>, java.io.Serializable {}

  private final String word;
  private final Reader source;
  private final Reader destination;
  private final Reader total;

  Counter(String word, Reader source, Reader destination, Reader total) {
    this.word = word;
    this.source = source;
    this.destination = destination;
    this.total = total;
  }

  String word() {
    return word;
  }

  boolean hasSides() {
    return source != null;
  }

  /**
   * The test {@code value <comparison> operand} on the qualified side; unqualified it is the total
   * where there is one, else either side (a missing TTL or TOS never matches).
   */
  FlowPredicate compare(Side side, boolean qualified, Comparison comparison, double operand) {
    if (!qualified && total != null) {
      Reader read = total;
      return r -> comparison.holds(read.applyAsDouble(r), operand);
    }
    Reader src = source;
    Reader dst = destination;
    return side.combine(
        r -> comparison.holds(src.applyAsDouble(r), operand),
        r -> comparison.holds(dst.applyAsDouble(r), operand));
  }

  static Counter byWord(String word) {
    for (Counter c : values()) {
      if (c.word.equals(word)) {
        return c;
      }
    }
    return null;
  }

  private static double orNaN(Integer value) {
    return value == null ? Double.NaN : value;
  }

  private static double seconds(FlowRecord r) {
    return Math.max(0, r.getLtime() - r.getStime()) / 1e6;
  }

  /** Per second over the record's span; 0 for a span of zero, as Argus prints it. */
  private static double perSecond(long amount, FlowRecord r) {
    double dur = seconds(r);
    return dur == 0 ? 0 : amount / dur;
  }
}

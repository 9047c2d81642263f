package org.argosy.query.filter;

import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.argosy.avro.FlowRecord;

/**
 * The numeric flow fields a filter compares ({@code bytes gt 1000}, {@code src pkts lt 3}, {@code
 * dur gte 10}), each read per side and, where Argus has one, as a flow total used when no {@code
 * src}/{@code dst} qualifier is given. Values are those of the one record being filtered.
 */
enum Counter {
  PKTS(
      "pkts",
      measure(r -> r.getSpkts(), "spkts"),
      measure(r -> r.getDpkts(), "dpkts"),
      measure(r -> r.getSpkts() + r.getDpkts(), "spkts", "dpkts")),
  BYTES(
      "bytes",
      measure(r -> r.getSbytes(), "sbytes"),
      measure(r -> r.getDbytes(), "dbytes"),
      measure(r -> r.getSbytes() + r.getDbytes(), "sbytes", "dbytes")),
  APPBYTES(
      "appbytes",
      measure(r -> r.getSappbytes(), "sappbytes"),
      measure(r -> r.getDappbytes(), "dappbytes"),
      measure(r -> r.getSappbytes() + r.getDappbytes(), "sappbytes", "dappbytes")),
  TTL(
      "ttl",
      measure(r -> orNaN(r.getSttl()), "sttl"),
      measure(r -> orNaN(r.getDttl()), "dttl"),
      null),
  TOS(
      "tos",
      measure(r -> orNaN(r.getStos()), "stos"),
      measure(r -> orNaN(r.getDtos()), "dtos"),
      null),
  DUR("dur", null, null, measure(Counter::seconds, "stime", "ltime")),
  LOAD(
      "load",
      measure(r -> perSecond(r.getSbytes() * 8, r), "sbytes", "stime", "ltime"),
      measure(r -> perSecond(r.getDbytes() * 8, r), "dbytes", "stime", "ltime"),
      measure(
          r -> perSecond((r.getSbytes() + r.getDbytes()) * 8, r),
          "sbytes",
          "dbytes",
          "stime",
          "ltime")),
  RATE(
      "rate",
      measure(r -> perSecond(r.getSpkts(), r), "spkts", "stime", "ltime"),
      measure(r -> perSecond(r.getDpkts(), r), "dpkts", "stime", "ltime"),
      measure(r -> perSecond(r.getSpkts() + r.getDpkts(), r), "spkts", "dpkts", "stime", "ltime"));

  /** A reader that is serializable, so compiled filters are. */
  interface Reader extends ToDoubleFunction<FlowRecord>, java.io.Serializable {}

  /** A value read from a record, and the record fields (Avro names) reading it takes. */
  private record Measure(Reader reader, Set<String> fields) {

    Term compared(Comparison comparison, double operand) {
      // The predicate captures the reader, not this Measure, which is not serializable.
      Reader read = reader;
      return new Term(r -> comparison.holds(read.applyAsDouble(r), operand), fields);
    }
  }

  private final String word;
  private final Measure source;
  private final Measure destination;
  private final Measure total;

  Counter(String word, Measure source, Measure destination, Measure total) {
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
  Term compare(Side side, boolean qualified, Comparison comparison, double operand) {
    if (!qualified && total != null) {
      return total.compared(comparison, operand);
    }
    return side.combine(
        source.compared(comparison, operand), destination.compared(comparison, operand));
  }

  static Counter byWord(String word) {
    for (Counter c : values()) {
      if (c.word.equals(word)) {
        return c;
      }
    }
    return null;
  }

  private static Measure measure(Reader reader, String... fields) {
    return new Measure(reader, Set.of(fields));
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

package org.argosy.tools.rasort;

import java.util.Comparator;
import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.query.InvalidQueryException;
import org.argosy.query.SortKey;

/**
 * rasort's {@code -m}: counters and rates sort largest first (the query core's {@link SortKey}),
 * start and last time and key fields ascending, numbers as numbers; rows equal on every term are
 * ordered by their key values.
 */
final class AggregateOrder {

  private AggregateOrder() {}

  static Comparator<FlowAggregate> parse(List<String> terms, List<String> keyNames) {
    if (terms.isEmpty()) {
      throw new InvalidQueryException("-m needs at least one sort field, e.g. -m bytes");
    }
    Comparator<FlowAggregate> order = null;
    for (String term : terms) {
      Comparator<FlowAggregate> next = byTerm(term, keyNames);
      order = order == null ? next : order.thenComparing(next);
    }
    // equal rows keep one order: by their key values
    for (String name : keyNames) {
      order = order.thenComparing((a, b) -> compareValues(value(a, name), value(b, name)));
    }
    return order;
  }

  private static Comparator<FlowAggregate> byTerm(String term, List<String> keyNames) {
    if (term.equals("stime")) {
      return Comparator.comparingLong(FlowAggregate::getStime);
    }
    if (term.equals("ltime")) {
      return Comparator.comparingLong(FlowAggregate::getLtime);
    }
    if (keyNames.contains(term)) {
      return (a, b) -> compareValues(value(a, term), value(b, term));
    }
    SortKey key = SortKey.byArgusName(term); // unknown: an error naming the known ones
    return Comparator.<FlowAggregate>comparingDouble(key::valueOf).reversed();
  }

  private static String value(FlowAggregate aggregate, String name) {
    for (KeyField field : aggregate.getKey()) {
      if (field.getName().equals(name)) {
        return field.getValue();
      }
    }
    return "";
  }

  private static int compareValues(String a, String b) {
    return isNumber(a) && isNumber(b)
        ? Long.compare(Long.parseLong(a), Long.parseLong(b))
        : a.compareTo(b);
  }

  /**
   * Whether {@code value} is 1 to 18 digits (a long, never overflowing). Asked of two values in
   * every comparison that reaches the key fields: {@code String.matches} compiled a pattern each
   * time, most of rasort's time on aggregates that tie on the sort counters.
   */
  private static boolean isNumber(String value) {
    if (value.isEmpty() || value.length() > 18) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}

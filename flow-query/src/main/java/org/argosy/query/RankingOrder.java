package org.argosy.query;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;

/**
 * The order of a ranking: the rasort keys in turn, then the cluster key values in ascending order
 * (numerically where both are numbers) so that equal rows always rank the same way. As in rasort,
 * counters and derived metrics sort largest first and key fields ({@code dport}, {@code saddr})
 * smallest first; a {@code :asc} or {@code :desc} suffix ({@code bytes:asc}) turns either around.
 */
public final class RankingOrder implements Comparator<FlowAggregate>, Serializable {

  private static final long serialVersionUID = 1L;

  /** One sort key: a metric, or (when {@code metric} is null) a key field by its name. */
  private record Term(String written, SortKey metric, String keyField, boolean ascending)
      implements Serializable {

    int compare(FlowAggregate a, FlowAggregate b) {
      int ascendingOrder =
          metric != null
              ? Double.compare(metric.valueOf(a), metric.valueOf(b))
              : compareValues(valueOf(a, keyField), valueOf(b, keyField));
      return ascending ? ascendingOrder : -ascendingOrder;
    }
  }

  private final List<Term> terms;

  private RankingOrder(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  /** Metric sort keys only ({@code bytes}, {@code load}, ...). */
  public static RankingOrder parse(List<String> names) {
    return parse(names, null);
  }

  /**
   * Sort keys that may also name fields of {@code clusterKey} ({@code dport}); null allows metrics
   * only.
   */
  public static RankingOrder parse(List<String> names, ClusterKeySpec clusterKey) {
    if (names.isEmpty()) {
      throw new InvalidQueryException("empty sort key: name at least one, e.g. bytes");
    }
    List<Term> terms = new ArrayList<>();
    for (String written : names) {
      int colon = written.indexOf(':');
      String name = colon < 0 ? written : written.substring(0, colon);
      String direction = colon < 0 ? "" : written.substring(colon + 1);
      if (!direction.isEmpty() && !direction.equals("asc") && !direction.equals("desc")) {
        throw new InvalidQueryException(
            "sort key '" + written + "': the direction after ':' must be asc or desc");
      }
      if (clusterKey != null && clusterKey.fieldNames().contains(name)) {
        terms.add(new Term(written, null, name, !direction.equals("desc")));
      } else {
        terms.add(new Term(written, SortKey.byArgusName(name), null, direction.equals("asc")));
      }
    }
    return new RankingOrder(terms);
  }

  public List<String> keyNames() {
    return terms.stream().map(Term::written).toList();
  }

  @Override
  public int compare(FlowAggregate a, FlowAggregate b) {
    for (Term term : terms) {
      int byTerm = term.compare(a, b);
      if (byTerm != 0) {
        return byTerm;
      }
    }
    return compareKeys(a.getKey(), b.getKey());
  }

  private static String valueOf(FlowAggregate aggregate, String field) {
    for (KeyField keyField : aggregate.getKey()) {
      if (keyField.getName().equals(field)) {
        return keyField.getValue();
      }
    }
    return "";
  }

  private static int compareKeys(List<KeyField> a, List<KeyField> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int byValue = compareValues(a.get(i).getValue(), b.get(i).getValue());
      if (byValue != 0) {
        return byValue;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareValues(String a, String b) {
    if (isNumber(a) && isNumber(b)) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    return a.compareTo(b);
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() < 19;
  }
}

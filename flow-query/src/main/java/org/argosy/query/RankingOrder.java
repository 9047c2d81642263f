package org.argosy.query;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;

/**
 * The order of a ranking: the rasort keys, each largest first, then the cluster key values in
 * ascending order (numerically where both are numbers) so that equal rows always rank the same way.
 */
public final class RankingOrder implements Comparator<FlowAggregate>, Serializable {

  private static final long serialVersionUID = 1L;

  private final List<SortKey> keys;

  private RankingOrder(List<SortKey> keys) {
    this.keys = List.copyOf(keys);
  }

  public static RankingOrder parse(List<String> names) {
    if (names.isEmpty()) {
      throw new InvalidQueryException("empty sort key: name at least one, e.g. bytes");
    }
    return new RankingOrder(names.stream().map(SortKey::byArgusName).toList());
  }

  public List<String> keyNames() {
    return keys.stream().map(SortKey::argusName).toList();
  }

  @Override
  public int compare(FlowAggregate a, FlowAggregate b) {
    for (SortKey key : keys) {
      int byKey = Double.compare(key.valueOf(b), key.valueOf(a));
      if (byKey != 0) {
        return byKey;
      }
    }
    return compareKeys(a.getKey(), b.getKey());
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
    return !text.isEmpty() && text.length() < 19 && text.chars().allMatch(Character::isDigit);
  }
}

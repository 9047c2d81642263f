package org.argosy.tools.racluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.argosy.avro.FlowAggregate;
import org.argosy.query.FlowMerge;

/**
 * Merges the groups several threads made of one input into one map by key text, keys in the order
 * of their first row in the input: the order the record-by-record path gives them. Each thread
 * takes its share of the input in ascending order, so its groups are already ordered by first row,
 * and the tables are merged as sorted runs rather than sorted again.
 */
final class FirstRowOrder {

  /** The groups one thread made, in the order of their first row. */
  interface Groups {
    int size();

    /** The key text of group {@code g}. */
    String name(int g);

    /** Where the first row of group {@code g} lies in the input; smaller is earlier. */
    long first(int g);

    FlowAggregate aggregate(int g);
  }

  private FirstRowOrder() {}

  static Map<String, FlowAggregate> combine(List<? extends Groups> tables) {
    int[] next = new int[tables.size()];
    Map<String, FlowAggregate> merged = new LinkedHashMap<>();
    while (true) {
      int earliest = -1;
      for (int t = 0; t < tables.size(); t++) {
        Groups groups = tables.get(t);
        if (next[t] < groups.size()
            && (earliest < 0
                || groups.first(next[t]) < tables.get(earliest).first(next[earliest]))) {
          earliest = t;
        }
      }
      if (earliest < 0) {
        return merged;
      }
      Groups groups = tables.get(earliest);
      int g = next[earliest]++;
      merged.merge(groups.name(g), groups.aggregate(g), FlowMerge::merge);
    }
  }
}

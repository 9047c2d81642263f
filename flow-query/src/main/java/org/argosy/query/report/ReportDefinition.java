package org.argosy.query.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.InvalidQueryException;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FlowFilter;

/**
 * One report of a report file: the Argus pipeline {@code racluster -m KEYS - FILTER | rasort -m
 * SORT -s FIELDS | head -n N}, computed per window. Validated when built; a definition that exists
 * can run.
 */
public record ReportDefinition(
    String name,
    FlowFilter filter,
    ClusterKeySpec clusterKey,
    ReportWindow window,
    RankingOrder order,
    int n,
    List<String> fields,
    Set<ReportOutput> outputs)
    implements Serializable {

  /** The metrics an output line can show besides the key fields. */
  public static final List<String> METRICS =
      List.of(
          "bytes",
          "pkts",
          "trans",
          "load",
          "rate",
          "dur",
          "sbytes",
          "dbytes",
          "spkts",
          "dpkts",
          "sappbytes",
          "dappbytes",
          "stime",
          "ltime");

  public ReportDefinition {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new InvalidQueryException(
          "name '"
              + name
              + "' must be 1-64 letters, digits, '-', '_' or '.' (it names Flink operators)");
    }
    if (n < 1) {
      throw new InvalidQueryException("n must be at least 1, got " + n);
    }
    if (outputs.isEmpty()) {
      throw new InvalidQueryException("outputs must name at least one of: aggregates topn");
    }
    fields = List.copyOf(fields);
    outputs = Set.copyOf(outputs);
    for (String field : fields) {
      if (!METRICS.contains(field) && !clusterKey.fieldNames().contains(field)) {
        throw new InvalidQueryException(
            "output field '"
                + field
                + "' is neither a key field of this report ("
                + clusterKey
                + ") nor a metric ("
                + String.join(" ", METRICS)
                + ")");
      }
    }
  }

  /** The output fields Argus's rasort prints by default: the key, then bytes pkts trans load. */
  public static List<String> defaultFields(ClusterKeySpec clusterKey) {
    List<String> fields = new ArrayList<>(clusterKey.fieldNames());
    fields.addAll(List.of("bytes", "pkts", "trans", "load"));
    return fields;
  }
}

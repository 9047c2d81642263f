package org.argosy.cli.sensor;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;

/**
 * What a report must hold for a set of flow records, computed here without Flink or the report
 * engine: per tumbling window (of the record's stime) and cluster key, the per-side counters
 * summed, the records counted ({@code trans}), the earliest stime and the latest ltime, as
 * racluster merges status records. Rows are text lines, so that a difference reads as one.
 */
final class WindowTotals {

  private final long windowMicros;

  WindowTotals(long windowMicros) {
    this.windowMicros = windowMicros;
  }

  long windowOf(long micros) {
    return Math.floorDiv(micros, windowMicros) * windowMicros;
  }

  /**
   * One row per window and key of {@code records}, sorted; {@code key} as {@link #key} makes it.
   */
  List<String> rows(List<FlowRecord> records, Function<FlowRecord, String> key) {
    Map<String, List<FlowRecord>> groups =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    r -> windowOf(r.getStime()) + " " + key.apply(r),
                    TreeMap::new,
                    Collectors.toList()));
    return groups.entrySet().stream()
        .map(
            group -> {
              List<FlowRecord> rs = group.getValue();
              return row(
                  group.getKey(),
                  rs.stream().mapToLong(FlowRecord::getSpkts).sum(),
                  rs.stream().mapToLong(FlowRecord::getDpkts).sum(),
                  rs.stream().mapToLong(FlowRecord::getSbytes).sum(),
                  rs.stream().mapToLong(FlowRecord::getDbytes).sum(),
                  rs.stream().mapToLong(FlowRecord::getSappbytes).sum(),
                  rs.stream().mapToLong(FlowRecord::getDappbytes).sum(),
                  rs.size(),
                  rs.stream().mapToLong(FlowRecord::getStime).min().orElseThrow(),
                  rs.stream().mapToLong(FlowRecord::getLtime).max().orElseThrow());
            })
        .sorted()
        .toList();
  }

  /** The job's aggregates as rows of the same form, sorted. */
  static List<String> rows(List<FlowAggregate> aggregates) {
    return aggregates.stream()
        .map(
            a ->
                row(
                    a.getWindowStart() + " " + key(a),
                    a.getSpkts(),
                    a.getDpkts(),
                    a.getSbytes(),
                    a.getDbytes(),
                    a.getSappbytes(),
                    a.getDappbytes(),
                    a.getTrans(),
                    a.getStime(),
                    a.getLtime()))
        .sorted()
        .toList();
  }

  /** A key as {@code name=value} pairs, e.g. {@code site=fra1 sport=40000 dport=7000}. */
  static String key(String... namesAndValues) {
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      key.append(i == 0 ? "" : " ")
          .append(namesAndValues[i])
          .append('=')
          .append(namesAndValues[i + 1]);
    }
    return key.toString();
  }

  private static String key(FlowAggregate aggregate) {
    return String.join(
        " ", aggregate.getKey().stream().map(f -> f.getName() + "=" + f.getValue()).toList());
  }

  private static String row(
      String windowAndKey,
      long spkts,
      long dpkts,
      long sbytes,
      long dbytes,
      long sappbytes,
      long dappbytes,
      long trans,
      long stime,
      long ltime) {
    return String.format(
        "%s  pkts %d/%d bytes %d/%d app %d/%d trans %d time %d..%d",
        windowAndKey, spkts, dpkts, sbytes, dbytes, sappbytes, dappbytes, trans, stime, ltime);
  }
}

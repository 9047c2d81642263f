package org.argosy.tools.ratop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowMerge;
import org.argosy.query.RankingOrder;
import org.argosy.query.TopN;

/**
 * ratop's cache: records merged by the -m key as they arrive, the best N on demand, and entries
 * that saw no record for the idle time dropped, as Argus's ratop does. Thread-safe: one thread
 * adds, the screen reads.
 */
final class LiveCache {

  private record Entry(FlowAggregate aggregate, long lastUpdateNanos) {}

  private final ClusterKeySpec keySpec;
  private final long idleNanos;
  private final Map<String, Entry> entries = new HashMap<>();
  private long records;

  LiveCache(ClusterKeySpec keySpec, long idleNanos) {
    this.keySpec = keySpec;
    this.idleNanos = idleNanos;
  }

  synchronized void add(FlowRecord record, long nowNanos) {
    String key = keySpec.keyOf(record);
    Entry entry = entries.get(key);
    FlowAggregate aggregate = entry == null ? FlowMerge.empty() : entry.aggregate();
    if (entry == null) {
      aggregate.setReport("ratop");
      aggregate.setKey(keySpec.keyFields(key));
    }
    entries.put(key, new Entry(FlowMerge.add(aggregate, record), nowNanos));
    records++;
  }

  /** Drops idle entries, then returns the best {@code n} in {@code order}. */
  synchronized List<FlowAggregate> top(int n, RankingOrder order, long nowNanos) {
    entries.values().removeIf(e -> nowNanos - e.lastUpdateNanos() > idleNanos);
    TopN top = new TopN(n, order);
    entries.values().forEach(e -> top.offer(e.aggregate()));
    return new ArrayList<>(top.best());
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long records() {
    return records;
  }
}

package org.argosy.jobs.alert;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.query.AggregateMetrics;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowKeyField;
import org.argosy.query.FlowMerge;
import org.argosy.query.alert.DistinctCounter;

/**
 * What a rule knows about one key in one window: the racluster merge of its records, the distinct
 * values of the counted field (distinct rules), the sites that contributed, and the conversations
 * that contributed most bytes (the evidence).
 *
 * <p>The evidence is kept in bounded memory: the {@link #EVIDENCE_ROWS} biggest conversations seen
 * so far, each merged over its records while it stays in the list. A conversation made of many
 * small records can be displaced before it adds up, so the evidence is the top contributors as far
 * as records arrive, not an exact ranking; the totals and counts are exact.
 */
final class WindowTally implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Evidence rows an alert carries. */
  static final int EVIDENCE_ROWS = 3;

  /** Sites named in one alert; more are counted in the total but not listed. */
  static final int MAX_SITES = 32;

  /** One conversation, with the site it was seen at, as evidence rows show it. */
  static final ClusterKeySpec EVIDENCE_KEY =
      ClusterKeySpec.parse("site proto saddr sport daddr dport");

  private FlowAggregate total = FlowMerge.empty();
  private final ArrayList<String> evidenceKeys = new ArrayList<>();
  private final ArrayList<FlowAggregate> evidence = new ArrayList<>();
  private final TreeSet<String> sites = new TreeSet<>();
  private DistinctCounter distinct;

  void add(FlowRecord record, FlowKeyField countedField) {
    total = FlowMerge.add(total, record);
    if (countedField != null) {
      distinct().add(countedField.valueOf(record));
    }
    if (sites.size() < MAX_SITES) {
      sites.add(record.getSite());
    }
    String conversation = EVIDENCE_KEY.keyOf(record);
    FlowAggregate single = FlowMerge.add(FlowMerge.empty(), record);
    single.setKey(EVIDENCE_KEY.keyFields(conversation));
    offerEvidence(conversation, single);
  }

  void merge(WindowTally other) {
    total = FlowMerge.merge(total, other.total);
    if (other.distinct != null) {
      distinct().merge(other.distinct);
    }
    for (String site : other.sites) {
      if (sites.size() < MAX_SITES) {
        sites.add(site);
      }
    }
    for (int i = 0; i < other.evidence.size(); i++) {
      offerEvidence(
          other.evidenceKeys.get(i), FlowAggregate.newBuilder(other.evidence.get(i)).build());
    }
  }

  private DistinctCounter distinct() {
    if (distinct == null) {
      distinct = new DistinctCounter();
    }
    return distinct;
  }

  private void offerEvidence(String conversation, FlowAggregate contribution) {
    int known = evidenceKeys.indexOf(conversation);
    if (known >= 0) {
      FlowMerge.merge(evidence.get(known), contribution);
      return;
    }
    if (evidence.size() < EVIDENCE_ROWS) {
      evidenceKeys.add(conversation);
      evidence.add(contribution);
      return;
    }
    int smallest = 0;
    for (int i = 1; i < evidence.size(); i++) {
      if (AggregateMetrics.bytes(evidence.get(i))
          < AggregateMetrics.bytes(evidence.get(smallest))) {
        smallest = i;
      }
    }
    if (AggregateMetrics.bytes(contribution) > AggregateMetrics.bytes(evidence.get(smallest))) {
      evidenceKeys.set(smallest, conversation);
      evidence.set(smallest, contribution);
    }
  }

  FlowAggregate total() {
    return total;
  }

  /** The distinct count of the counted field; 0 when the rule counts none. */
  long distinctCount() {
    return distinct == null ? 0 : distinct.count();
  }

  List<String> sites() {
    return List.copyOf(sites);
  }

  /** The evidence rows, most bytes first, stamped with the rule's name and the window. */
  List<FlowAggregate> evidence(String rule, long windowStartMicros, long windowEndMicros) {
    List<FlowAggregate> rows = new ArrayList<>();
    for (FlowAggregate row : evidence) {
      FlowAggregate copy = FlowAggregate.newBuilder(row).build();
      copy.setReport(rule);
      copy.setWindowStart(windowStartMicros);
      copy.setWindowEnd(windowEndMicros);
      rows.add(copy);
    }
    rows.sort(Comparator.comparingLong(AggregateMetrics::bytes).reversed());
    return rows;
  }
}

package org.argosy.jobs.alert;

import java.util.List;
import org.argosy.avro.AlertStatus;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.KeyField;
import org.argosy.query.alert.AlertRule;

/**
 * Candidates: a rule's condition held for one key in one window. They travel as {@link FlowAlert}s
 * with status {@link AlertStatus#UNKNOWN} and no id until {@link AlertLifecycle} decides whether
 * each opens, updates or continues an alert; sharing the Avro type keeps state and network
 * serialization the fast Avro path.
 */
final class Candidates {

  private static final char SEPARATOR = '\u001f';

  private Candidates() {}

  static FlowAlert candidate(
      AlertRule rule,
      List<String> sites,
      long windowStartMicros,
      long windowEndMicros,
      List<KeyField> key,
      double observed,
      double threshold,
      List<FlowAggregate> evidence) {
    return FlowAlert.newBuilder()
        .setId("")
        .setRule(rule.name())
        .setSeverity(rule.severity())
        .setStatus(AlertStatus.UNKNOWN)
        .setSites(sites)
        .setWindowStart(windowStartMicros)
        .setWindowEnd(windowEndMicros)
        .setKey(key)
        .setObserved(observed)
        .setThreshold(threshold)
        .setEvidence(evidence)
        .setFirstSeen(windowStartMicros)
        .setLastSeen(windowEndMicros)
        .build();
  }

  /** Rule and key values as one string: the identity of a condition. */
  static String conditionKey(FlowAlert alert) {
    StringBuilder text = new StringBuilder(alert.getRule());
    for (KeyField field : alert.getKey()) {
      text.append(SEPARATOR).append(field.getValue());
    }
    return text.toString();
  }

  /** The key values alone, as one string. */
  static String keyText(List<KeyField> key) {
    StringBuilder text = new StringBuilder();
    for (KeyField field : key) {
      text.append(field.getValue()).append(SEPARATOR);
    }
    return text.toString();
  }
}

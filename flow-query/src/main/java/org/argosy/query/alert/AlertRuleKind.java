package org.argosy.query.alert;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.argosy.query.InvalidQueryException;

/** What an alert rule watches; each kind reads its own fields of a rule file. */
public enum AlertRuleKind {
  /** A metric of the aggregate per key and window above a value (bytes per dport in 5 min). */
  THRESHOLD("threshold"),
  /** One conversation above a byte count, or above a share of its window's bytes. */
  ELEPHANT("elephant"),
  /** Distinct values of one field per key above a count (port scan, host sweep). */
  DISTINCT("distinct"),
  /** A key enters the top N that was absent from it for the last K windows. */
  TOP_ENTRY("top-entry"),
  /** The top N keys dominated by ephemeral ports. */
  TOP_EPHEMERAL("top-ephemeral"),
  /** A key (a talker in a watched subnet, say) not seen in the last K windows. */
  NEW_KEY("new-key");

  private final String word;

  AlertRuleKind(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  /** Whether the rule judges the top-N ranking of each window rather than each key alone. */
  public boolean ranks() {
    return this == TOP_ENTRY || this == TOP_EPHEMERAL;
  }

  public static AlertRuleKind byWord(String word) {
    for (AlertRuleKind kind : values()) {
      if (kind.word.equals(word)) {
        return kind;
      }
    }
    throw new InvalidQueryException(
        "unknown rule kind '"
            + word
            + "'; known kinds: "
            + Arrays.stream(values()).map(AlertRuleKind::word).collect(Collectors.joining(" ")));
  }
}

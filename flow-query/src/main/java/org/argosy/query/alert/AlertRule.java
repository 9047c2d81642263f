package org.argosy.query.alert;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.argosy.avro.AlertSeverity;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowKeyField;
import org.argosy.query.InvalidQueryException;
import org.argosy.query.RankingOrder;
import org.argosy.query.SortKey;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportOutput;
import org.argosy.query.report.ReportWindow;

/**
 * One alert rule: which records ({@code filter}), grouped how ({@code keys}, with {@code site}
 * first for a per-site rule), over which windows, and the condition of its {@link AlertRuleKind}.
 * Validated when built: a rule that exists can run. Fields a kind does not use are {@code NaN},
 * {@code null} or 0.
 *
 * @param metric what a threshold compares or a ranking sorts by
 * @param above threshold: the metric; elephant: the conversation's bytes; distinct: the count
 * @param share elephant: fraction of the window's bytes; top-ephemeral: fraction of the top N rows
 * @param count distinct: the field whose distinct values are counted per key
 * @param n top-entry and top-ephemeral: the ranking's length
 * @param absentWindows top-entry and new-key: windows a key must have been absent to count as new;
 *     also the learning period after start-up, during which nothing is new
 * @param ephemeralFrom top-ephemeral: the lowest port counted as ephemeral
 * @param cooldown an ongoing condition is updated at most this often
 */
public record AlertRule(
    String name,
    AlertRuleKind kind,
    AlertSeverity severity,
    FlowFilter filter,
    ClusterKeySpec keys,
    boolean perSite,
    ReportWindow window,
    SortKey metric,
    double above,
    double share,
    FlowKeyField count,
    int n,
    int absentWindows,
    int ephemeralFrom,
    Duration cooldown)
    implements Serializable {

  /** The key of an elephant rule: one conversation, as racluster's default key. */
  public static final List<String> CONVERSATION =
      List.of("proto", "saddr", "sport", "daddr", "dport");

  public AlertRule {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new InvalidQueryException(
          "name '"
              + name
              + "' must be 1-64 letters, digits, '-', '_' or '.' (it names Flink operators)");
    }
    if (perSite != keys.fieldNames().contains("site")) {
      throw new InvalidQueryException(
          "keys: a per-site rule has 'site' in its key, a global one has not");
    }
    switch (kind) {
      case THRESHOLD -> require(above, "above", "the value the metric must exceed, e.g. 10G");
      case ELEPHANT -> {
        if (Double.isNaN(above) && Double.isNaN(share)) {
          throw new InvalidQueryException(
              "above: an elephant rule needs 'above' (bytes, e.g. 1G) or 'share' (of the window's"
                  + " bytes, e.g. 50%), or both");
        }
      }
      case DISTINCT -> {
        require(above, "above", "the distinct count to exceed, e.g. 100");
        if (count == null) {
          throw new InvalidQueryException(
              "count: name the field whose distinct values are counted, e.g. count: dport");
        }
        if (keys.fieldNames().contains(count.argusName())) {
          throw new InvalidQueryException(
              "count: '" + count.argusName() + "' is a key field; it has one value per key");
        }
      }
      case TOP_ENTRY, NEW_KEY -> {
        if (absentWindows < 1) {
          throw new InvalidQueryException("absent: must be at least 1 window");
        }
      }
      case TOP_EPHEMERAL -> {
        require(share, "share", "the fraction of the top N rows, e.g. 60%");
        if (portField(keys) == null) {
          throw new InvalidQueryException(
              "keys: a top-ephemeral rule ranks ports: its key needs sport or dport");
        }
      }
    }
    if (kind.ranks() && perSite) {
      throw new InvalidQueryException(
          "scope: a "
              + kind.word()
              + " rule ranks all keys of a window together; use scope global");
    }
    if (kind.ranks() && n < 1) {
      throw new InvalidQueryException("n: must be at least 1, got " + n);
    }
    if (!Double.isNaN(share) && (share <= 0 || share > 1)) {
      throw new InvalidQueryException("share: must be above 0% and at most 100%");
    }
    if (cooldown.isNegative()) {
      throw new InvalidQueryException("cooldown: must not be negative");
    }
  }

  private static void require(double value, String field, String what) {
    if (Double.isNaN(value)) {
      throw new InvalidQueryException(field + ": required: " + what);
    }
    if (value < 0) {
      throw new InvalidQueryException(field + ": must not be negative");
    }
  }

  /** For top-ephemeral: the port field of the key (dport before sport), else null. */
  public FlowKeyField portField() {
    return portField(keys);
  }

  private static FlowKeyField portField(ClusterKeySpec keys) {
    if (keys.fieldNames().contains("dport")) {
      return FlowKeyField.DPORT;
    }
    return keys.fieldNames().contains("sport") ? FlowKeyField.SPORT : null;
  }

  /** For the ranking kinds: the report whose top-N rankings the rule judges. */
  public ReportDefinition ranking() {
    if (!kind.ranks()) {
      throw new IllegalStateException(name + " is a " + kind.word() + " rule, not a ranking rule");
    }
    List<String> fields = new ArrayList<>(keys.fieldNames());
    fields.add(metric.argusName());
    return new ReportDefinition(
        name,
        filter,
        keys,
        window,
        RankingOrder.parse(List.of(metric.argusName()), keys),
        n,
        fields.stream().distinct().toList(),
        EnumSet.of(ReportOutput.TOPN));
  }
}

package org.argosy.tools.alerts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.KeyField;
import org.argosy.query.AggregateMetrics;

/**
 * An alert as people read it: a headline (window, status, severity, rule, key), the observed value
 * against the threshold, then one line per evidence flow.
 *
 * <pre>
 * 2026-11-29 18:44:20-18:44:30 UTC  OPEN      CRITICAL  elephant  proto=6 saddr=10.77.0.30 ...
 *     observed 42.1M > threshold 20.0M  sites site-a  first seen 18:44:20  id 1f3e0c2a-...
 *     flow site=site-a proto=6 saddr=10.77.0.30 sport=40001 daddr=10.77.0.31 dport=47811
 *          pkts 29,014  bytes 42.1M  trans 2
 * </pre>
 */
final class AlertText {

  private static final DateTimeFormatter DAY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private AlertText() {}

  static String format(FlowAlert alert) {
    StringBuilder text = new StringBuilder();
    text.append(DAY_TIME.format(instant(alert.getWindowStart())))
        .append('-')
        .append(TIME.format(instant(alert.getWindowEnd())))
        .append(" UTC  ")
        .append(String.format(Locale.ROOT, "%-9s %-9s ", alert.getStatus(), alert.getSeverity()))
        .append(alert.getRule());
    if (!alert.getKey().isEmpty()) {
      text.append("  ").append(key(alert.getKey()));
    }
    text.append("\n    observed ")
        .append(amount(alert.getObserved()))
        .append(alert.getObserved() > alert.getThreshold() ? " > " : " >= ")
        .append("threshold ")
        .append(amount(alert.getThreshold()));
    if (!alert.getSites().isEmpty()) {
      text.append("  sites ").append(String.join(",", alert.getSites()));
    }
    text.append("  first seen ")
        .append(DAY_TIME.format(instant(alert.getFirstSeen())))
        .append("  id ")
        .append(alert.getId());
    for (FlowAggregate flow : alert.getEvidence()) {
      text.append("\n    flow ")
          .append(key(flow.getKey()))
          .append(String.format(Locale.ROOT, "  pkts %,d", AggregateMetrics.pkts(flow)))
          .append("  bytes ")
          .append(amount(AggregateMetrics.bytes(flow)))
          .append("  trans ")
          .append(flow.getTrans());
    }
    return text.toString();
  }

  private static String key(Iterable<KeyField> fields) {
    StringBuilder text = new StringBuilder();
    for (KeyField field : fields) {
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(field.getName()).append('=').append(field.getValue());
    }
    return text.toString();
  }

  /** Counts with SI suffixes (1.2G); fractions (a share) as they are. */
  static String amount(double value) {
    double magnitude = Math.abs(value);
    if (magnitude < 1 && value != 0) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    String[] suffixes = {"", "K", "M", "G", "T"};
    int power = 0;
    while (magnitude >= 1000 && power < suffixes.length - 1) {
      magnitude /= 1000;
      power++;
    }
    double scaled = value / Math.pow(1000, power);
    return power == 0 && value == Math.rint(value)
        ? String.format(Locale.ROOT, "%d", (long) value)
        : String.format(Locale.ROOT, "%.1f%s", scaled, suffixes[power]);
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}

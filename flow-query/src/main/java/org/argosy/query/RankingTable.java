package org.argosy.query;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;

/** Prints a ranking as an aligned text table, as people read it on a terminal. */
public final class RankingTable {

  private RankingTable() {}

  /**
   * The columns {@code fields} (rasort {@code -s}): key field names as the report writes them, or
   * metrics (bytes pkts trans load rate dur sbytes dbytes spkts dpkts sappbytes dappbytes stime
   * ltime).
   */
  public static String format(TopNRanking ranking, List<String> fields) {
    List<String> header = new ArrayList<>(List.of("rank"));
    header.addAll(fields);
    List<FlowAggregate> rows = ranking.getRows();
    List<List<String>> cells = new ArrayList<>();
    cells.add(header);
    for (int i = 0; i < rows.size(); i++) {
      List<String> line = new ArrayList<>();
      line.add(Integer.toString(i + 1));
      for (String field : fields) {
        line.add(cell(rows.get(i), field));
      }
      cells.add(line);
    }

    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%s  window %s .. %s  top %d of %d by %s%n",
            ranking.getReport(),
            instant(ranking.getWindowStart()),
            instant(ranking.getWindowEnd()),
            rows.size(),
            ranking.getKeyCount(),
            String.join(" ", ranking.getSortKeys())));
    appendAligned(out, cells, rows.isEmpty() ? null : rows.get(0));
    return out.toString();
  }

  private static String cell(FlowAggregate row, String field) {
    for (KeyField key : row.getKey()) {
      if (key.getName().equals(field)) {
        return displayValue(key);
      }
    }
    return switch (field) {
      case "load" -> decimal(AggregateMetrics.load(row));
      case "rate" -> decimal(AggregateMetrics.rate(row));
      case "dur" -> decimal(AggregateMetrics.dur(row));
      case "stime" -> seconds(row.getStime());
      case "ltime" -> seconds(row.getLtime());
      default -> {
        try {
          yield Long.toString((long) SortKey.byArgusName(field).valueOf(row));
        } catch (InvalidQueryException e) {
          yield "-";
        }
      }
    };
  }

  /** Protocol numbers print as Argus's names; everything else as stored. */
  private static String displayValue(KeyField field) {
    if (field.getName().equals("proto") && !field.getValue().isEmpty()) {
      return ProtocolNames.name(Integer.parseInt(field.getValue()));
    }
    return field.getValue().isEmpty() ? "-" : field.getValue();
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  /** Epoch seconds with microseconds, as ra prints times with -u. */
  private static String seconds(long micros) {
    return String.format(
        Locale.ROOT,
        "%d.%06d",
        Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L));
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /** Key columns (text) align left, counters right, as ra does. */
  private static void appendAligned(
      StringBuilder out, List<List<String>> cells, FlowAggregate row) {
    List<String> header = cells.get(0);
    int columns = header.size();
    int[] widths = new int[columns];
    for (List<String> line : cells) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], line.get(c).length());
      }
    }
    for (List<String> line : cells) {
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        boolean left = c > 0 && isKeyField(row, header.get(c));
        String format = (left ? "%-" : "%") + widths[c] + "s";
        text.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, line.get(c)));
      }
      out.append(text.toString().stripTrailing()).append(System.lineSeparator());
    }
  }

  private static boolean isKeyField(FlowAggregate row, String name) {
    return row != null && row.getKey().stream().anyMatch(k -> k.getName().equals(name));
  }
}

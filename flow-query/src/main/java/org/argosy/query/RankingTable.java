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

  public static String format(TopNRanking ranking) {
    List<String> header = new ArrayList<>(List.of("rank"));
    List<FlowAggregate> rows = ranking.getRows();
    if (!rows.isEmpty()) {
      rows.get(0).getKey().forEach(field -> header.add(field.getName()));
    }
    header.addAll(List.of("bytes", "pkts", "trans", "load"));

    List<List<String>> cells = new ArrayList<>();
    cells.add(header);
    for (int i = 0; i < rows.size(); i++) {
      FlowAggregate row = rows.get(i);
      List<String> line = new ArrayList<>();
      line.add(Integer.toString(i + 1));
      for (KeyField field : row.getKey()) {
        line.add(displayValue(field));
      }
      line.add(Long.toString(AggregateMetrics.bytes(row)));
      line.add(Long.toString(AggregateMetrics.pkts(row)));
      line.add(Long.toString(row.getTrans()));
      line.add(String.format(Locale.ROOT, "%.3f", AggregateMetrics.load(row)));
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
    appendAligned(out, cells);
    return out.toString();
  }

  /** Protocol numbers print as Argus's names; everything else as stored. */
  private static String displayValue(KeyField field) {
    if (field.getName().equals("proto") && !field.getValue().isEmpty()) {
      return ProtocolNames.name(Integer.parseInt(field.getValue()));
    }
    return field.getValue().isEmpty() ? "-" : field.getValue();
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /** Key columns (text) align left, counters right, as ra does. */
  private static void appendAligned(StringBuilder out, List<List<String>> cells) {
    int columns = cells.get(0).size();
    int[] widths = new int[columns];
    for (List<String> line : cells) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], line.get(c).length());
      }
    }
    int firstCounter = columns - 4;
    for (List<String> line : cells) {
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String format =
            (c == 0 || c >= firstCounter) ? "%" + widths[c] + "s" : "%-" + widths[c] + "s";
        text.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, line.get(c)));
      }
      out.append(text.toString().stripTrailing()).append(System.lineSeparator());
    }
  }
}

package org.argosy.tools.print;

import java.io.PrintWriter;
import java.util.List;
import org.argosy.avro.FlowRecord;

/**
 * Prints flow records one line each in the chosen columns: aligned text as Argus prints it, CSV
 * with a delimiter ({@code -c ,}), or JSON Lines ({@code --json}).
 */
public final class FlowPrinter {

  /** The output format. */
  public enum Format {
    TEXT,
    CSV,
    JSON
  }

  private final PrintWriter out;
  private final List<FlowColumn> columns;
  private final Format format;
  private final char delimiter;
  private final boolean numeric;

  /**
   * @param delimiter the CSV delimiter (ignored for other formats)
   * @param numeric ra's -n: ports as numbers rather than service names
   */
  public FlowPrinter(
      PrintWriter out, List<FlowColumn> columns, Format format, char delimiter, boolean numeric) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("no columns to print");
    }
    this.out = out;
    this.columns = List.copyOf(columns);
    this.format = format;
    this.delimiter = delimiter;
    this.numeric = numeric;
  }

  /** The title line; JSON Lines has none. */
  public void header() {
    switch (format) {
      case TEXT -> line(columns.stream().map(FlowColumn::title).toList());
      case CSV ->
          out.println(
              String.join(
                  String.valueOf(delimiter), columns.stream().map(c -> csv(c.title())).toList()));
      case JSON -> {}
    }
  }

  public void print(FlowRecord record) {
    List<String> values = columns.stream().map(c -> c.valueOf(record, numeric)).toList();
    switch (format) {
      case TEXT -> line(values);
      case CSV ->
          out.println(
              String.join(String.valueOf(delimiter), values.stream().map(this::csv).toList()));
      case JSON -> out.println(json(values));
    }
  }

  public void flush() {
    out.flush();
  }

  private void line(List<String> values) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      FlowColumn column = columns.get(i);
      String value = values.get(i);
      String pad = " ".repeat(Math.max(0, column.width() - value.length()));
      text.append(i == 0 ? "" : " ").append(column.rightAligned() ? pad + value : value + pad);
    }
    out.println(text.toString().stripTrailing());
  }

  private String csv(String value) {
    String trimmed = value.strip();
    if (trimmed.indexOf(delimiter) < 0 && trimmed.indexOf('"') < 0 && trimmed.indexOf('\n') < 0) {
      return trimmed;
    }
    return '"' + trimmed.replace("\"", "\"\"") + '"';
  }

  private String json(List<String> values) {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < columns.size(); i++) {
      FlowColumn column = columns.get(i);
      String value = values.get(i).strip();
      text.append(i == 0 ? "" : ",").append('"').append(column.argusName()).append("\":");
      if (column.numeric() && !value.isEmpty()) {
        text.append(value);
      } else {
        text.append('"').append(escape(value)).append('"');
      }
    }
    return text.append('}').toString();
  }

  private static String escape(String value) {
    StringBuilder escaped = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> escaped.append("\\\"");
        case '\\' -> escaped.append("\\\\");
        default -> {
          if (c < 0x20) {
            escaped.append(String.format("\\u%04x", (int) c));
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }
}

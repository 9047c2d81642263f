package org.argosy.tools.print;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints rows one line each in the chosen columns: aligned text as Argus prints it, CSV with a
 * delimiter ({@code -c ,}), or JSON Lines ({@code --json}).
 */
public final class TablePrinter {

  /** The output format. */
  public enum Format {
    TEXT,
    CSV,
    JSON
  }

  private final PrintWriter out;
  private final List<? extends Column> columns;
  private final Format format;
  private final char delimiter;

  /**
   * @param delimiter the CSV delimiter (ignored for other formats)
   */
  public TablePrinter(
      PrintWriter out, List<? extends Column> columns, Format format, char delimiter) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("no columns to print");
    }
    this.out = out;
    this.columns = List.copyOf(columns);
    this.format = format;
    this.delimiter = delimiter;
  }

  /** The title line; JSON Lines has none. */
  public void header() {
    switch (format) {
      case TEXT -> line(columns.stream().map(Column::title).map(String::valueOf).toList());
      case CSV ->
          out.println(
              String.join(
                  String.valueOf(delimiter), columns.stream().map(c -> csv(c.title())).toList()));
      case JSON -> {}
    }
  }

  /** One row: a value per column, in column order. */
  public void print(List<String> values) {
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
      Column column = columns.get(i);
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
      Column column = columns.get(i);
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

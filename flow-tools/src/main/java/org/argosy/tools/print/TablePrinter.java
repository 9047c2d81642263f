package org.argosy.tools.print;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints rows one line each in the chosen columns: aligned text as Argus prints it, CSV with a
 * delimiter ({@code -c ,}), or JSON Lines ({@code --json}). Lines are written without flushing (the
 * command line's writer flushes every {@code println}, a system call per row) unless the printer is
 * live; {@link #flush} writes them out.
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
  private final boolean live;

  /** The text line being made, reused: a table of many rows makes no garbage per cell. */
  private final StringBuilder text = new StringBuilder();

  /**
   * @param delimiter the CSV delimiter (ignored for other formats)
   */
  public TablePrinter(
      PrintWriter out, List<? extends Column> columns, Format format, char delimiter) {
    this(out, columns, format, delimiter, false);
  }

  /**
   * @param live whether each row is flushed as it is printed (rows that arrive from a topic)
   */
  public TablePrinter(
      PrintWriter out,
      List<? extends Column> columns,
      Format format,
      char delimiter,
      boolean live) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("no columns to print");
    }
    this.out = out;
    this.columns = List.copyOf(columns);
    this.format = format;
    this.delimiter = delimiter;
    this.live = live;
  }

  /** The title line; JSON Lines has none. */
  public void header() {
    switch (format) {
      case TEXT -> line(columns.stream().map(Column::title).map(String::valueOf).toList());
      case CSV ->
          emit(
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
          emit(String.join(String.valueOf(delimiter), values.stream().map(this::csv).toList()));
      case JSON -> emit(json(values));
    }
  }

  public void flush() {
    out.flush();
  }

  private void line(List<String> values) {
    text.setLength(0);
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      String value = values.get(i);
      if (i > 0) {
        text.append(' ');
      }
      if (column.rightAligned()) {
        pad(column.width() - value.length());
        text.append(value);
      } else {
        text.append(value);
        pad(column.width() - value.length());
      }
    }
    int end = text.length();
    while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    text.setLength(end);
    emit(text);
  }

  private void pad(int spaces) {
    for (int i = 0; i < spaces; i++) {
      text.append(' ');
    }
  }

  private void emit(CharSequence line) {
    out.append(line);
    out.write(System.lineSeparator());
    if (live) {
      out.flush();
    }
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

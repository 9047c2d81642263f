package org.argosy.tools.cli;

import java.io.PrintWriter;
import java.util.List;
import org.argosy.tools.print.Column;
import org.argosy.tools.print.TablePrinter;
import picocli.CommandLine.Option;

/** The output options every ra-style command shares: CSV, JSON Lines, numeric ports. */
public final class OutputOptions {

  @Option(names = "-n", description = "Print port numbers, not service names.")
  boolean numeric;

  @Option(
      names = "-c",
      paramLabel = "CHAR",
      description = "Print CSV with this delimiter, e.g. -c ,")
  Character delimiter;

  @Option(names = "--json", description = "Print JSON Lines, one object per row.")
  boolean json;

  public boolean numeric() {
    return numeric;
  }

  /** What is wrong with the combination, or null. */
  public String problem() {
    return json && delimiter != null ? "choose one of -c and --json" : null;
  }

  /** A printer for a finished input: lines reach {@code out} when it is flushed. */
  public TablePrinter printer(PrintWriter out, List<? extends Column> columns) {
    return printer(out, columns, false);
  }

  /**
   * A printer in the chosen format; {@code live} flushes each row (records that arrive from a
   * topic, which someone watches).
   */
  public TablePrinter printer(PrintWriter out, List<? extends Column> columns, boolean live) {
    TablePrinter.Format format =
        json
            ? TablePrinter.Format.JSON
            : delimiter != null ? TablePrinter.Format.CSV : TablePrinter.Format.TEXT;
    return new TablePrinter(out, columns, format, delimiter == null ? ',' : delimiter, live);
  }
}

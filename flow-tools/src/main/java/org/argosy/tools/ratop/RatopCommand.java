package org.argosy.tools.ratop;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.argosy.avro.FlowAggregate;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.cli.ArgusArguments;
import org.argosy.tools.cli.InputOptions;
import org.argosy.tools.io.FlowFiles.FlowFileException;
import org.argosy.tools.io.TopicSource;
import org.argosy.tools.print.AggregateColumn;
import org.argosy.tools.print.TablePrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code argosy ratop}: a live, refreshing top table of flows or of -m keys. */
@Command(
    name = "ratop",
    mixinStandardHelpOptions = true,
    description = {
      "Shows a live top table, refreshed every second: flow records from a topic (-S, followed)"
          + " or from files, merged by the -m key (default: the conversation), the best N by"
          + " bytes. Keys: b p l sort by bytes, packets, load; + and - change N; q quits."
          + " Entries of a topic that see no record for --idle seconds are dropped.",
      "",
      "Examples:",
      "  argosy ratop -S kafka://127.0.0.1:9092/flows",
      "  argosy ratop -S kafka://127.0.0.1:9092/flows -m proto dport -N 10",
      "  argosy ratop -r day.avro -m saddr - src net 10.201.16.0/21"
    })
public final class RatopCommand implements Callable<Integer> {

  private static final List<String> CONVERSATION =
      List.of("proto", "saddr", "sport", "daddr", "dport");
  private static final String CLEAR_SCREEN = "\033[H\033[2J";

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin private InputOptions input;

  @Option(
      names = "-m",
      arity = "1..*",
      paramLabel = "FIELD",
      description = "Key fields (default: the conversation).")
  private List<String> keys;

  @Option(
      names = "-N",
      paramLabel = "ROWS",
      defaultValue = "20",
      description = "Rows shown (default ${DEFAULT-VALUE}).")
  private int rows;

  @Option(
      names = "--sort",
      paramLabel = "KEY",
      defaultValue = "bytes",
      description = "Initial order: bytes, pkts or load (default ${DEFAULT-VALUE}).")
  private String sort;

  @Option(
      names = "--idle",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "Drop topic entries idle this long (default ${DEFAULT-VALUE}).")
  private long idleSeconds;

  @Option(names = "-n", description = "Port numbers, not service names.")
  private boolean numeric;

  @Parameters(paramLabel = "- FILTER", description = "A filter after a lone '-'.")
  private List<String> filterWords = new ArrayList<>();

  private volatile boolean quit;

  @Override
  public Integer call() throws Exception {
    if (input.problem() != null) {
      throw usage(input.problem());
    }
    if (rows < 1 || idleSeconds < 1) {
      throw usage("-N and --idle must be at least 1");
    }
    ClusterKeySpec keySpec;
    FlowFilter filter;
    TopicSource source;
    try {
      ArgusArguments.Split split = ArgusArguments.split(keys, filterWords);
      keySpec = ClusterKeySpec.parse(split.option() == null ? CONVERSATION : split.option());
      filter = FlowFilter.parse(split.filter());
      RankingOrder.parse(List.of(sort));
      source = input.topicSource();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    // Records from files are history: nothing about them idles while the table is shown.
    long idleNanos = source == null ? Long.MAX_VALUE : TimeUnit.SECONDS.toNanos(idleSeconds);
    LiveCache cache = new LiveCache(keySpec, idleNanos);
    String[] failure = {null};
    Thread reader =
        new Thread(
            () -> {
              try {
                input.readAll(null, r -> add(cache, filter, r));
                if (source != null) {
                  source.read(true, Map.of(), r -> add(cache, filter, r));
                }
              } catch (FlowFileException | RuntimeException e) {
                failure[0] = e.getMessage();
              }
            },
            "ratop-reader");
    reader.setDaemon(true);
    reader.start();

    Terminal terminal = Terminal.enterRawMode();
    if (terminal == null) {
      // no terminal (a pipe): one table once the files are read
      reader.join();
      print(cache, keySpec, failure[0], false);
      return failure[0] == null ? 0 : 1;
    }
    Thread keyboard = new Thread(this::readKeys, "ratop-keys");
    keyboard.setDaemon(true);
    keyboard.start();
    try {
      while (!quit) {
        print(cache, keySpec, failure[0], true);
        synchronized (this) {
          wait(1000);
        }
      }
    } finally {
      terminal.restore();
      spec.commandLine().getOut().println();
      spec.commandLine().getOut().flush();
    }
    return failure[0] == null ? 0 : 1;
  }

  private static void add(LiveCache cache, FlowFilter filter, org.argosy.avro.FlowRecord record) {
    if (filter.matches(record)) {
      cache.add(record, System.nanoTime());
    }
  }

  /** Single keys: q quits, b p l choose the order, + and - change the number of rows. */
  private void readKeys() {
    try {
      int key;
      while (!quit && (key = System.in.read()) >= 0) {
        switch (key) {
          case 'q', 'Q' -> quit = true;
          case 'b' -> sort = "bytes";
          case 'p' -> sort = "pkts";
          case 'l' -> sort = "load";
          case '+' -> rows += 5;
          case '-' -> rows = Math.max(1, rows - 5);
          default -> {
            continue;
          }
        }
        synchronized (this) {
          notifyAll();
        }
      }
    } catch (IOException e) {
      quit = true;
    }
    quit = true;
    synchronized (this) {
      notifyAll();
    }
  }

  private void print(LiveCache cache, ClusterKeySpec keySpec, String failure, boolean live) {
    List<String> names = new ArrayList<>(List.of("rank"));
    List<AggregateColumn> columns = new ArrayList<>();
    for (String name : keySpec.fieldNames()) {
      columns.add(AggregateColumn.of(name, keySpec.fieldNames(), numeric));
    }
    for (String metric : List.of("stime", "trans", "pkts", "bytes", "load")) {
      columns.add(AggregateColumn.of(metric, keySpec.fieldNames(), numeric));
    }
    List<FlowAggregate> top =
        cache.top(rows, RankingOrder.parse(List.of(sort, "bytes")), System.nanoTime());
    StringWriter table = new StringWriter();
    TablePrinter printer =
        new TablePrinter(new PrintWriter(table), columns, TablePrinter.Format.TEXT, ',');
    printer.header();
    for (FlowAggregate row : top) {
      printer.print(columns.stream().map(c -> c.valueOf(row)).toList());
    }
    printer.flush();
    StringBuilder screen = new StringBuilder(live ? CLEAR_SCREEN : "");
    screen.append(
        String.format(
            "argosy ratop  key: %s  sorted by %s  top %d of %d  (%d records)%s%n",
            keySpec,
            sort,
            top.size(),
            cache.size(),
            cache.records(),
            live ? "   keys: b p l sort, + - rows, q quit" : ""));
    if (failure != null) {
      screen.append("input failed: ").append(failure).append(System.lineSeparator());
    }
    List<String> lines = table.toString().lines().toList();
    screen.append(String.format("%4s  %s%n", names.get(0), lines.get(0)));
    for (int i = 1; i < lines.size(); i++) {
      screen.append(String.format("%4d  %s%n", i, lines.get(i)));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(screen);
    out.flush();
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

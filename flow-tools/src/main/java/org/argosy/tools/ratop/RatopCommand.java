package org.argosy.tools.ratop;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
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

  @Option(
      names = "--rankings",
      description = "Show the newest ranking from a rankings topic (-S .../flow-topn) instead.")
  private boolean rankings;

  @Option(
      names = "--report",
      paramLabel = "NAME",
      description = "With --rankings: the report to show (default: the first one seen).")
  private String report;

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
      ArgusArguments.KeysAndFilter query = ArgusArguments.keysAndFilter(keys, filterWords);
      keySpec = query.keys();
      filter = query.filter();
      RankingOrder.parse(List.of(sort));
      source = input.topicSource();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (rankings && source == null) {
      throw usage("--rankings needs -S kafka://HOST:PORT/TOPIC of a rankings topic");
    }
    // Records from files are history: nothing about them idles while the table is shown.
    long idleNanos = source == null ? Long.MAX_VALUE : TimeUnit.SECONDS.toNanos(idleSeconds);
    LiveCache cache = new LiveCache(keySpec, idleNanos);
    String[] failure = {null};
    RankingFeed feed = rankings ? new RankingFeed(source, report) : null;
    // On a terminal the table follows the topic; into a pipe it is printed once.
    Terminal terminal = Terminal.enterRawMode();
    boolean live = terminal != null;
    Thread reader =
        new Thread(
            () -> {
              try {
                if (feed != null) {
                  feed.follow();
                  return;
                }
                Consumer<FlowRecord> toCache = record -> cache.add(record, System.nanoTime());
                input.readAll(System.in, null, filter, toCache);
                if (source != null) {
                  source.read(live, filter.passing(toCache));
                }
              } catch (FlowFileException | RuntimeException e) {
                failure[0] = e.getMessage();
              }
            },
            "ratop-reader");
    reader.setDaemon(true);
    reader.start();

    if (!live) {
      if (feed != null) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (feed.latest() == null && System.nanoTime() < deadline && reader.isAlive()) {
          Thread.sleep(100);
        }
        reader.interrupt();
      } else {
        reader.join();
      }
      print(view(cache, keySpec, feed), failure[0], false);
      return failure[0] == null ? 0 : 1;
    }
    Thread keyboard = new Thread(this::readKeys, "ratop-keys");
    keyboard.setDaemon(true);
    keyboard.start();
    try {
      while (!quit) {
        print(view(cache, keySpec, feed), failure[0], true);
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

  /** What one screen shows: a title and rows of aggregates with these key fields. */
  private record View(String title, List<String> keyNames, List<FlowAggregate> rows) {}

  private View view(LiveCache cache, ClusterKeySpec keySpec, RankingFeed feed) {
    RankingOrder order = RankingOrder.parse(List.of(sort, "bytes"));
    if (feed == null) {
      List<FlowAggregate> top = cache.top(rows, order, System.nanoTime());
      return new View(
          String.format(
              "key: %s  sorted by %s  top %d of %d  (%d records)",
              keySpec, sort, top.size(), cache.size(), cache.records()),
          keySpec.fieldNames(),
          top);
    }
    TopNRanking ranking = feed.latest();
    if (ranking == null) {
      return new View("waiting for the first ranking ...", List.of(), List.of());
    }
    List<FlowAggregate> sorted = new ArrayList<>(ranking.getRows());
    sorted.sort(order);
    List<FlowAggregate> top = sorted.subList(0, Math.min(rows, sorted.size()));
    List<String> keyNames =
        sorted.isEmpty()
            ? List.of()
            : sorted.get(0).getKey().stream().map(KeyField::getName).toList();
    return new View(
        String.format(
            "report %s  window %s .. %s  sorted by %s  top %d of %d keys",
            ranking.getReport(),
            Instant.EPOCH.plus(ranking.getWindowStart(), ChronoUnit.MICROS),
            Instant.EPOCH.plus(ranking.getWindowEnd(), ChronoUnit.MICROS),
            sort,
            top.size(),
            ranking.getKeyCount()),
        keyNames,
        top);
  }

  private void print(View view, String failure, boolean live) {
    List<AggregateColumn> columns = new ArrayList<>();
    for (String name : view.keyNames()) {
      columns.add(AggregateColumn.of(name, view.keyNames(), numeric));
    }
    for (String metric : List.of("stime", "trans", "pkts", "bytes", "load")) {
      columns.add(AggregateColumn.of(metric, view.keyNames(), numeric));
    }
    StringWriter table = new StringWriter();
    TablePrinter printer =
        new TablePrinter(new PrintWriter(table), columns, TablePrinter.Format.TEXT, ',');
    printer.header();
    for (FlowAggregate row : view.rows()) {
      printer.print(columns.stream().map(c -> c.valueOf(row)).toList());
    }
    printer.flush();
    StringBuilder screen = new StringBuilder(live ? CLEAR_SCREEN : "");
    screen.append("argosy ratop  ").append(view.title());
    screen
        .append(live ? "   keys: b p l sort, + - rows, q quit" : "")
        .append(System.lineSeparator());
    if (failure != null) {
      screen.append("input failed: ").append(failure).append(System.lineSeparator());
    }
    List<String> lines = table.toString().lines().toList();
    screen.append(String.format("%4s  %s%n", "rank", lines.get(0)));
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

package org.argosy.tools.ra;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.argosy.avro.FlowRecord;
import org.argosy.query.InvalidQueryException;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.io.FlowFiles;
import org.argosy.tools.io.FlowFiles.FlowFileException;
import org.argosy.tools.io.TopicSource;
import org.argosy.tools.print.FlowColumn;
import org.argosy.tools.print.FlowPrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code argosy ra}: print flow records from flow files or a topic, as Argus's ra does. */
@Command(
    name = "ra",
    mixinStandardHelpOptions = true,
    description = {
      "Prints flow records, one per line, from flow files (-r, -R) or a Kafka topic (-S),"
          + " optionally only those matching a filter given after a lone '-'.",
      "",
      "Examples:",
      "  argosy ra -r day.avro - dst port 39756",
      "  argosy ra -r day.avro -n -s stime saddr daddr dport bytes state -N 20",
      "  argosy ra -S kafka://127.0.0.1:9092/flows --follow - tcp and syn",
      "  argosy ra -R /var/argosy/2026-11-29 -c , - src net 10.201.16.0/21"
    })
public final class RaCommand implements Callable<Integer> {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(
      names = "-r",
      paramLabel = "FILE",
      description = "Flow file to read ('-' reads standard input); repeatable.")
  private List<String> files = new ArrayList<>();

  @Option(
      names = "-R",
      paramLabel = "DIR",
      description = "Read every flow file under DIR; repeatable.")
  private List<Path> directories = new ArrayList<>();

  @Option(
      names = "-S",
      paramLabel = "kafka://HOST:PORT/TOPIC",
      description = "Read a Kafka topic from its beginning.")
  private String topic;

  @Option(names = "--follow", description = "With -S: keep printing new records until interrupted.")
  private boolean follow;

  @Option(
      names = "-s",
      arity = "1..*",
      paramLabel = "FIELD",
      description =
          "Columns to print, in order (default: stime flgs proto saddr sport dir daddr dport pkts bytes state).")
  private List<String> fields;

  @Option(names = "-n", description = "Print port numbers, not service names.")
  private boolean numeric;

  @Option(
      names = "-c",
      paramLabel = "CHAR",
      description = "Print CSV with this delimiter, e.g. -c ,")
  private Character delimiter;

  @Option(names = "--json", description = "Print JSON Lines, one object per record.")
  private boolean json;

  @Option(names = "-N", paramLabel = "COUNT", description = "Print only the first COUNT records.")
  private Long limit;

  @Parameters(
      paramLabel = "- FILTER",
      description = "A filter after a lone '-', e.g. - dst port 53 and udp.")
  private List<String> filterWords = new ArrayList<>();

  /** Stops reading once -N records are printed. */
  private static final class LimitReached extends RuntimeException {
    LimitReached() {
      super(null, null, false, false);
    }
  }

  @Override
  public Integer call() {
    if (files.isEmpty() && directories.isEmpty() && topic == null) {
      throw usage("name an input: -r FILE, -R DIR or -S kafka://HOST:PORT/TOPIC");
    }
    if (follow && topic == null) {
      throw usage("--follow needs -S");
    }
    if (json && delimiter != null) {
      throw usage("choose one of -c and --json");
    }
    if (limit != null && limit < 1) {
      throw usage("-N must be at least 1");
    }
    for (Path directory : directories) {
      if (!Files.isDirectory(directory)) {
        throw usage("-R " + directory + " is not a directory");
      }
    }
    FlowFilter filter;
    List<FlowColumn> columns;
    TopicSource source;
    try {
      filter = FlowFilter.parse(filterText());
      columns = fields == null ? FlowColumn.DEFAULT : FlowColumn.parse(fields);
      source = topic == null ? null : TopicSource.parse(topic);
    } catch (InvalidQueryException e) {
      throw usage(e.getMessage());
    }

    PrintWriter out = spec.commandLine().getOut();
    FlowPrinter printer =
        new FlowPrinter(
            out,
            columns,
            json
                ? FlowPrinter.Format.JSON
                : delimiter != null ? FlowPrinter.Format.CSV : FlowPrinter.Format.TEXT,
            delimiter == null ? ',' : delimiter,
            numeric);
    printer.header();
    long[] printed = {0};
    Consumer<FlowRecord> print =
        record -> {
          if (filter.matches(record)) {
            printer.print(record);
            if (limit != null && ++printed[0] >= limit) {
              throw new LimitReached();
            }
          }
        };
    try {
      for (String file : FlowFiles.sources(files, directories)) {
        FlowFiles.read(file, print);
      }
      if (source != null) {
        source.read(follow, Map.of(), print);
      }
    } catch (LimitReached enough) {
      // -N reached
    } catch (FlowFileException e) {
      printer.flush();
      spec.commandLine().getErr().println("ra: " + e.getMessage());
      return 1;
    } finally {
      printer.flush();
    }
    return 0;
  }

  /**
   * Argus puts the filter after a lone "-"; everything after it is the filter. A "-s" list swallows
   * the words that follow it, the "-" included, so the filter is split off there too.
   */
  private String filterText() {
    List<String> words = filterWords;
    if (fields != null && fields.contains("-")) {
      int dash = fields.indexOf("-");
      words = new ArrayList<>(fields.subList(dash, fields.size()));
      words.addAll(filterWords);
      fields = fields.subList(0, dash);
    }
    if (!words.isEmpty() && words.get(0).equals("-")) {
      words = words.subList(1, words.size());
    } else if (!words.isEmpty()) {
      throw usage("unexpected '" + words.get(0) + "': put a filter after a lone '-', e.g. - tcp");
    }
    return String.join(" ", words);
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

package org.argosy.tools.rasort;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowKeyField;
import org.argosy.query.FlowMerge;
import org.argosy.tools.cli.ArgusArguments;
import org.argosy.tools.cli.OutputOptions;
import org.argosy.tools.cli.StandardStreams;
import org.argosy.tools.io.ContainerFileReader;
import org.argosy.tools.io.FlowFiles;
import org.argosy.tools.io.FlowFiles.FlowFileException;
import org.argosy.tools.print.AggregateColumn;
import org.argosy.tools.print.TablePrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code argosy rasort}: sort racluster's aggregates (or plain flow records) by {@code -m} fields
 * and print the {@code -s} columns, so that {@code | head -n10} is a top ten.
 */
@Command(
    name = "rasort",
    mixinStandardHelpOptions = true,
    description = {
      "Sorts aggregates written by racluster -w (or flow records) by the -m fields: counters"
          + " largest first, times and key fields ascending. Prints the -s columns.",
      "",
      "Examples:",
      "  argosy racluster -r day.avro -w - -m proto dport | argosy rasort -r - -m bytes load"
          + " -s dport bytes load | head -n10",
      "  argosy rasort -r day.avro -m bytes -s stime saddr daddr dport bytes"
    })
public final class RasortCommand implements Callable<Integer> {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  private final StandardStreams streams;

  @CommandLine.Mixin private OutputOptions output;

  @Option(
      names = "-r",
      required = true,
      paramLabel = "FILE",
      description = "Aggregates or flow records to sort ('-' reads standard input); repeatable.")
  private List<String> files;

  @Option(
      names = "-m",
      arity = "1..*",
      required = true,
      paramLabel = "FIELD",
      description = "Sort by these fields, e.g. -m bytes load or -m dport.")
  private List<String> sortTerms;

  @Option(
      names = "-s",
      arity = "1..*",
      paramLabel = "FIELD",
      description = "Columns to print (default: key fields, trans, pkts, bytes).")
  private List<String> fields;

  @Option(names = "-N", paramLabel = "COUNT", description = "Print only the first COUNT rows.")
  private Long limit;

  /** Reads {@code -r -} from the process's standard input. */
  public RasortCommand() {
    this(StandardStreams.system());
  }

  /** Reads {@code -r -} from {@code streams}. */
  public RasortCommand(StandardStreams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    if (output.problem() != null) {
      throw usage(output.problem());
    }
    if (limit != null && limit < 1) {
      throw usage("-N must be at least 1");
    }
    List<FlowAggregate> rows = new ArrayList<>();
    try {
      for (String file : files) {
        read(file, rows);
      }
    } catch (FlowFileException e) {
      spec.commandLine().getErr().println("rasort: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    List<String> keyNames =
        rows.isEmpty() ? List.of() : rows.get(0).getKey().stream().map(k -> k.getName()).toList();
    Comparator<FlowAggregate> order;
    List<AggregateColumn> columns;
    try {
      order = AggregateOrder.parse(sortTerms, keyNames);
      List<String> chosen = fields;
      if (chosen == null) {
        chosen = new ArrayList<>(keyNames);
        chosen.addAll(List.of("trans", "pkts", "bytes"));
      }
      columns =
          chosen.stream().map(n -> AggregateColumn.of(n, keyNames, output.numeric())).toList();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    rows.sort(order);
    TablePrinter printer = output.printer(spec.commandLine().getOut(), columns);
    printer.header();
    long printed = 0;
    for (FlowAggregate row : rows) {
      if (limit != null && printed++ >= limit) {
        break;
      }
      printer.print(columns.stream().map(c -> c.valueOf(row)).toList());
    }
    printer.flush();
    return 0;
  }

  /**
   * Reads aggregates as they are; flow records (Avro or columnar files) become one-record
   * aggregates keyed by the flow fields that -m and -s name (the conversation when they name none).
   */
  private void read(String file, List<FlowAggregate> rows) throws FlowFileException {
    if (!file.equals("-") && FlowFiles.isArrow(file)) {
      FlowFiles.read(file, flowRows(rows));
      return;
    }
    try (InputStream in =
        file.equals("-")
            ? new BufferedInputStream(streams.in())
            : new BufferedInputStream(Files.newInputStream(Path.of(file)))) {
      ContainerFileReader reader = new ContainerFileReader(file, in);
      if (reader.recordType().equals(FlowRecord.getClassSchema().getName())) {
        reader.readAll(FlowRecord.class, flowRows(rows));
      } else {
        reader.readAll(FlowAggregate.class, rows::add);
      }
    } catch (IOException e) {
      throw FlowFileException.cannotRead(file, e);
    }
  }

  /** Adds each flow record it is handed to {@code rows} as a one-record aggregate. */
  private Consumer<FlowRecord> flowRows(List<FlowAggregate> rows) {
    ClusterKeySpec keys = ClusterKeySpec.parse(flowKeysNamed());
    return record -> {
      FlowAggregate row = FlowMerge.add(FlowMerge.empty(), record);
      row.setKey(keys.keyFields(keys.keyOf(record)));
      rows.add(row);
    };
  }

  private List<String> flowKeysNamed() {
    List<String> named = new ArrayList<>();
    List<String> words = new ArrayList<>(sortTerms);
    if (fields != null) {
      words.addAll(fields);
    }
    for (String word : words) {
      String field = word.contains("/") ? word.substring(0, word.indexOf('/')) : word;
      if (FlowKeyField.byArgusName(field) != null && !named.contains(word)) {
        named.add(word);
      }
    }
    return named.isEmpty() ? ArgusArguments.CONVERSATION : named;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

package org.argosy.tools.racluster;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.argosy.avro.FlowAggregate;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowMerge;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.cli.ArgusArguments;
import org.argosy.tools.cli.InputOptions;
import org.argosy.tools.cli.OutputOptions;
import org.argosy.tools.cli.StandardStreams;
import org.argosy.tools.io.ContainerFileWriter;
import org.argosy.tools.io.FlowFiles;
import org.argosy.tools.io.FlowFiles.FlowFileException;
import org.argosy.tools.io.TopicSource;
import org.argosy.tools.print.AggregateColumn;
import org.argosy.tools.print.TablePrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code argosy racluster}: merge flow records by {@code -m} keys with racluster's rules, the same
 * merge the streaming report engine uses ({@link FlowMerge}).
 */
@Command(
    name = "racluster",
    mixinStandardHelpOptions = true,
    description = {
      "Merges flow records by the -m key fields (default: one line per conversation): counters"
          + " summed per side, trans = records merged, stime the first and ltime the last."
          + " Prints a table, or writes binary aggregates with -w for rasort.",
      "",
      "Examples:",
      "  argosy racluster -r day.avro -m proto dport",
      "  argosy racluster -r day.avro -m saddr/24 - src net 10.201.16.0/21",
      "  argosy racluster -r day.avro -w - -m proto dport | argosy rasort -r - -m bytes load"
          + " -s dport bytes load | head -n10"
    })
public final class RaclusterCommand implements Callable<Integer> {

  static final String REPORT = "racluster";

  private final StandardStreams streams;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin private InputOptions input;

  @CommandLine.Mixin private OutputOptions output;

  @Option(
      names = "-m",
      arity = "1..*",
      paramLabel = "FIELD",
      description = "Key fields, e.g. -m proto dport or -m saddr/24 (default: the conversation).")
  private List<String> keys;

  @Option(
      names = "-s",
      arity = "1..*",
      paramLabel = "FIELD",
      description = "Columns to print: key fields and metrics (default: keys, trans, pkts, bytes).")
  private List<String> fields;

  @Option(
      names = "-w",
      paramLabel = "FILE",
      description = "Write binary aggregates to FILE ('-' for standard output) instead of a table.")
  private String outputFile;

  @Parameters(paramLabel = "- FILTER", description = "A filter after a lone '-'.")
  private List<String> filterWords = new ArrayList<>();

  /** Reads {@code -r -} from and writes {@code -w -} to the process's standard streams. */
  public RaclusterCommand() {
    this(StandardStreams.system());
  }

  /** Reads {@code -r -} from and writes {@code -w -} to {@code streams}. */
  public RaclusterCommand(StandardStreams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws IOException {
    String problem = input.problem() != null ? input.problem() : output.problem();
    if (problem != null) {
      throw usage(problem);
    }
    ClusterKeySpec keySpec;
    FlowFilter filter;
    List<AggregateColumn> columns;
    TopicSource source;
    try {
      // -m and -s both take words up to the next option; the filter follows whichever is last
      ArgusArguments.Split keySplit = ArgusArguments.split(keys, List.of());
      ArgusArguments.Split fieldSplit = ArgusArguments.split(fields, filterWords);
      String filterText = keySplit.filter().isEmpty() ? fieldSplit.filter() : keySplit.filter();
      keySpec =
          ClusterKeySpec.parse(
              keySplit.option() == null ? ArgusArguments.CONVERSATION : keySplit.option());
      filter = FlowFilter.parse(filterText);
      List<String> names = new ArrayList<>(keySpec.fieldNames());
      if (fieldSplit.option() == null) {
        names.addAll(List.of("trans", "pkts", "bytes"));
      }
      List<String> chosen = fieldSplit.option() == null ? names : fieldSplit.option();
      columns =
          chosen.stream()
              .map(n -> AggregateColumn.of(n, keySpec.fieldNames(), output.numeric()))
              .toList();
      source = input.topicSource();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }

    Map<String, FlowAggregate> merged;
    try {
      merged = merge(source, keySpec, filter);
    } catch (FlowFileException e) {
      spec.commandLine().getErr().println("racluster: " + e.getMessage());
      return 1;
    }
    merged.forEach(
        (key, aggregate) -> {
          aggregate.setReport(REPORT);
          aggregate.setKey(keySpec.keyFields(key));
        });

    if (outputFile != null) {
      try (OutputStream out =
          outputFile.equals("-")
              ? new BufferedOutputStream(streams.out())
              : new BufferedOutputStream(Files.newOutputStream(Path.of(outputFile)))) {
        ContainerFileWriter.write(out, FlowAggregate.getClassSchema(), merged.values());
      }
      return 0;
    }
    TablePrinter printer = output.printer(spec.commandLine().getOut(), columns);
    printer.header();
    for (FlowAggregate aggregate : merged.values()) {
      printer.print(columns.stream().map(c -> c.valueOf(aggregate)).toList());
    }
    printer.flush();
    return 0;
  }

  /**
   * The aggregates by key in first-seen order: files of one kind go through {@link ColumnarCluster}
   * (columnar) or {@link ContainerCluster} (Avro) on every core, any other input (a topic, standard
   * input, a mix of kinds) record by record.
   */
  private Map<String, FlowAggregate> merge(
      TopicSource source, ClusterKeySpec keySpec, FlowFilter filter) throws FlowFileException {
    List<String> files = input.files();
    if (source == null && !files.isEmpty() && !files.contains("-")) {
      int columnar = 0;
      for (String file : files) {
        columnar += FlowFiles.isArrow(file) ? 1 : 0;
      }
      int threads = Runtime.getRuntime().availableProcessors();
      if (columnar == files.size()) {
        return ColumnarCluster.cluster(files, keySpec, filter, threads);
      }
      if (columnar == 0) {
        return ContainerCluster.cluster(files, keySpec, filter, threads);
      }
    }
    Map<String, FlowAggregate> merged = new LinkedHashMap<>();
    input.readEach(
        streams.in(),
        source,
        filter,
        record ->
            FlowMerge.add(
                merged.computeIfAbsent(keySpec.keyOf(record), k -> FlowMerge.empty()), record));
    return merged;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

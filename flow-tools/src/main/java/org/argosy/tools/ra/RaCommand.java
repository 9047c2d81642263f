package org.argosy.tools.ra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.argosy.avro.FlowRecord;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.cli.ArgusArguments;
import org.argosy.tools.cli.InputOptions;
import org.argosy.tools.cli.OutputOptions;
import org.argosy.tools.cli.StandardStreams;
import org.argosy.tools.io.ArrowFlowFiles;
import org.argosy.tools.io.FlowFiles.FlowFileException;
import org.argosy.tools.io.TopicSource;
import org.argosy.tools.print.FlowColumn;
import org.argosy.tools.print.TablePrinter;
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
      "  argosy ra -R /var/argosy/2026-11-29 -c , - src net 10.201.16.0/21",
      "  argosy ra -r day.avro -w day.arrow"
    })
public final class RaCommand implements Callable<Integer> {

  private final StandardStreams streams;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin private InputOptions input;

  @CommandLine.Mixin private OutputOptions output;

  @Option(
      names = "-s",
      arity = "1..*",
      paramLabel = "FIELD",
      description =
          "Columns to print, in order (default: stime flgs proto saddr sport dir daddr dport pkts"
              + " bytes state).")
  private List<String> fields;

  @Option(names = "-N", paramLabel = "COUNT", description = "Print only the first COUNT records.")
  private Long limit;

  @Option(
      names = "-w",
      paramLabel = "FILE",
      description =
          "Write the records to FILE ('-' for standard output) as a columnar flow file (Apache"
              + " Arrow IPC file: racluster's fastest input, readable by pyarrow, DuckDB, Polars)"
              + " instead of printing them.")
  private String outputFile;

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

  /** Reads {@code -r -} from and writes {@code -w -} to the process's standard streams. */
  public RaCommand() {
    this(StandardStreams.system());
  }

  /** Reads {@code -r -} from and writes {@code -w -} to {@code streams}. */
  public RaCommand(StandardStreams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws IOException {
    String problem = input.problem() != null ? input.problem() : output.problem();
    if (problem != null) {
      throw usage(problem);
    }
    if (limit != null && limit < 1) {
      throw usage("-N must be at least 1");
    }
    FlowFilter filter;
    List<FlowColumn> columns;
    TopicSource source;
    try {
      ArgusArguments.Split split = ArgusArguments.split(fields, filterWords);
      filter = FlowFilter.parse(split.filter());
      columns = split.option() == null ? FlowColumn.DEFAULT : FlowColumn.parse(split.option());
      source = input.topicSource();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }

    if (outputFile == null) {
      TablePrinter printer = output.printer(spec.commandLine().getOut(), columns, source != null);
      printer.header();
      try {
        read(
            source,
            filter,
            record ->
                printer.print(
                    columns.stream().map(c -> c.valueOf(record, output.numeric())).toList()));
      } catch (FlowFileException e) {
        printer.flush();
        return failed(e);
      } finally {
        printer.flush();
      }
      return 0;
    }
    try (WritableByteChannel out =
            outputFile.equals("-")
                ? Channels.newChannel(streams.out())
                : FileChannel.open(
                    Path.of(outputFile),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        ArrowFlowFiles.Writer writer = new ArrowFlowFiles.Writer(out)) {
      read(
          source,
          filter,
          record -> {
            try {
              writer.add(record);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (FlowFileException e) {
      // the records before the damage are in the file
      return failed(e);
    }
    return 0;
  }

  /** Hands the records that pass {@code filter}, up to -N of them, to {@code emit}. */
  private void read(TopicSource source, FlowFilter filter, Consumer<FlowRecord> emit)
      throws FlowFileException {
    long[] emitted = {0};
    try {
      input.readEach(
          streams.in(),
          source,
          filter,
          record -> {
            emit.accept(record);
            if (limit != null && ++emitted[0] >= limit) {
              throw new LimitReached();
            }
          });
    } catch (LimitReached enough) {
      // -N reached
    }
  }

  private int failed(FlowFileException e) {
    spec.commandLine().getErr().println("ra: " + e.getMessage());
    return 1;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

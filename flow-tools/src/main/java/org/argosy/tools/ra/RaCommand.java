package org.argosy.tools.ra;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.argosy.avro.FlowRecord;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.cli.ArgusArguments;
import org.argosy.tools.cli.InputOptions;
import org.argosy.tools.cli.OutputOptions;
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
      "  argosy ra -R /var/argosy/2026-11-29 -c , - src net 10.201.16.0/21"
    })
public final class RaCommand implements Callable<Integer> {

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

    TablePrinter printer = output.printer(spec.commandLine().getOut(), columns);
    printer.header();
    long[] printed = {0};
    Consumer<FlowRecord> print =
        record -> {
          if (filter.matches(record)) {
            printer.print(columns.stream().map(c -> c.valueOf(record, output.numeric())).toList());
            if (limit != null && ++printed[0] >= limit) {
              throw new LimitReached();
            }
          }
        };
    try {
      input.readEach(source, print);
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

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

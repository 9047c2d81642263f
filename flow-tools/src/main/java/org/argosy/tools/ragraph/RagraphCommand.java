package org.argosy.tools.ragraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.argosy.avro.KeyField;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.cli.ArgusArguments;
import org.argosy.tools.cli.InputOptions;
import org.argosy.tools.io.FlowFiles.FlowFileException;
import org.argosy.tools.io.TopicSource;
import org.argosy.tools.print.AggregateColumn;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code argosy ragraph}: a PNG or SVG chart of a metric per key over time bins. */
@Command(
    name = "ragraph",
    mixinStandardHelpOptions = true,
    description = {
      "Draws bytes/s (or packets/s) of the top keys over time bins aligned to the clock, one line"
          + " per key, as PNG or SVG (by the -w file's extension). Records that span bins are"
          + " split across them in proportion to their time in each.",
      "",
      "Examples:",
      "  argosy ragraph -r day.avro -m proto dport --top 5 --bin 300 -w top-ports.png",
      "  argosy ragraph -r day.avro -m saddr -s pkts -w talkers.svg - src net 10.201.16.0/21"
    })
public final class RagraphCommand implements Callable<Integer> {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin private InputOptions input;

  @Option(
      names = "-m",
      arity = "1..*",
      required = true,
      paramLabel = "FIELD",
      description = "Key fields: one line per key, e.g. -m proto dport.")
  private List<String> keys;

  @Option(
      names = "-s",
      paramLabel = "METRIC",
      defaultValue = "bytes",
      description = "bytes (bytes/s) or pkts (packets/s); default ${DEFAULT-VALUE}.")
  private String metric;

  @Option(
      names = "--bin",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "Bin length in seconds (default ${DEFAULT-VALUE}).")
  private long binSeconds;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "5",
      description = "Draw the N keys with the most in total (default ${DEFAULT-VALUE}).")
  private int top;

  @Option(names = "-n", description = "Port numbers, not service names, in the legend.")
  private boolean numeric;

  @Option(
      names = "--title",
      paramLabel = "TEXT",
      description = "Chart title (default: what is drawn).")
  private String title;

  @Option(
      names = "-w",
      required = true,
      paramLabel = "FILE",
      description = "Write the chart to FILE.png or FILE.svg.")
  private Path outputFile;

  @Parameters(paramLabel = "- FILTER", description = "A filter after a lone '-'.")
  private List<String> filterWords = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    if (input.problem() != null) {
      throw usage(input.problem());
    }
    String name = outputFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (!name.endsWith(".png") && !name.endsWith(".svg")) {
      throw usage("-w " + outputFile + ": the file must end in .png or .svg");
    }
    if (!metric.equals("bytes") && !metric.equals("pkts")) {
      throw usage("-s " + metric + ": draw bytes or pkts");
    }
    if (binSeconds < 1 || top < 1) {
      throw usage("--bin and --top must be at least 1");
    }
    ClusterKeySpec keySpec;
    FlowFilter filter;
    TopicSource source;
    try {
      ArgusArguments.KeysAndFilter query = ArgusArguments.keysAndFilter(keys, filterWords);
      keySpec = query.keys();
      filter = query.filter();
      source = input.topicSource();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }

    TimeBins bins =
        new TimeBins(
            binSeconds * 1_000_000,
            metric.equals("bytes") ? TimeBins.Quantity.BYTES : TimeBins.Quantity.PKTS);
    try {
      input.readAll(System.in, source, filter, record -> bins.add(keySpec.keyOf(record), record));
    } catch (FlowFileException e) {
      spec.commandLine().getErr().println("ragraph: " + e.getMessage());
      return 1;
    }
    if (bins.isEmpty()) {
      spec.commandLine().getErr().println("ragraph: no flow records matched; nothing to draw");
      return 1;
    }
    List<Chart.Series> series =
        bins.ratesPerSecond().entrySet().stream()
            .sorted(
                Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -sum(e.getValue())))
            .limit(top)
            .map(e -> new Chart.Series(label(keySpec, e.getKey()), e.getValue()))
            .toList();
    String unit = metric.equals("bytes") ? "B/s" : "pkt/s";
    Chart chart =
        new Chart(
            title != null
                ? title
                : (metric.equals("bytes") ? "bytes/s" : "packets/s")
                    + " of the top "
                    + series.size()
                    + " by "
                    + keySpec,
            unit,
            bins.firstBinStartMicros(),
            bins.binMicros(),
            series);
    if (name.endsWith(".svg")) {
      SvgCanvas svg = new SvgCanvas(Chart.WIDTH, Chart.HEIGHT);
      ChartPainter.paint(chart, svg);
      Files.writeString(outputFile, svg.document());
    } else {
      PngCanvas png = new PngCanvas(Chart.WIDTH, Chart.HEIGHT);
      ChartPainter.paint(chart, png);
      ImageIO.write(png.image(), "png", outputFile.toFile());
    }
    return 0;
  }

  /** The legend label: key values as ra prints them, e.g. "tcp http". */
  private String label(ClusterKeySpec keySpec, String key) {
    List<KeyField> fields = keySpec.keyFields(key);
    return fields.stream()
        .map(f -> AggregateColumn.of(f.getName(), keySpec.fieldNames(), numeric).display(f))
        .map(v -> v.isEmpty() ? "-" : v)
        .collect(Collectors.joining(" "));
  }

  private static double sum(double[] values) {
    double total = 0;
    for (double v : values) {
      total += v;
    }
    return total;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

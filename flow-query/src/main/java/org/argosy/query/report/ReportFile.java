package org.argosy.query.report;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.InvalidQueryException;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FilterSyntaxException;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.yaml.Durations;
import org.argosy.query.yaml.YamlFile;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a report file: YAML with a list {@code reports}, each report a mapping of
 *
 * <pre>
 * name:    top-talkers                  # required, unique; names topics' keys and Flink operators
 * filter:  src net 10.77.0.0/24         # Argus filter; absent or blank = every record
 * keys:    saddr                        # racluster -m: a list or space-separated; required
 * window:  1d                           # tumbling size, or a mapping:
 *          {size: 1h, slide: 10m, zone: "+02:00", lateness: 5m}
 * sort:    [bytes, load]                # rasort -m keys, largest first (default: bytes)
 * n:       10                           # rows per ranking (default: 10)
 * fields:  [saddr, bytes, load]         # rasort -s output columns (default: key bytes pkts trans load)
 * outputs: [aggregates, topn]           # default: both
 * </pre>
 *
 * Everything is checked before anything runs; the first problem is a {@link ReportFileException}
 * naming the file, line, report and field (and, for a filter, its column).
 */
public final class ReportFile {

  private static final Set<String> FIELDS =
      Set.of("name", "filter", "keys", "window", "sort", "n", "fields", "outputs");
  private static final Set<String> WINDOW_FIELDS = Set.of("size", "slide", "zone", "lateness");

  private final YamlFile yaml;

  private ReportFile(String source) {
    this.yaml = YamlFile.of(source, ReportFileException::new);
  }

  public static List<ReportDefinition> load(Path file) {
    return parse(YamlFile.read(file, "report file", ReportFileException::new), file.toString());
  }

  /** Parses report definitions from {@code yaml}; {@code source} names it in messages (a path). */
  public static List<ReportDefinition> parse(String yaml, String source) {
    return new ReportFile(source).reports(yaml);
  }

  private List<ReportDefinition> reports(String text) {
    List<ReportDefinition> reports = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (Node node : yaml.topLevelList(yaml.compose(text, "report file"), "reports")) {
      index++;
      ReportDefinition report = report(node, index);
      if (!names.add(report.name())) {
        throw yaml.error(
            node, "report '" + report.name() + "'", "field 'name': the name is used twice");
      }
      reports.add(report);
    }
    return List.copyOf(reports);
  }

  private ReportDefinition report(Node node, int index) {
    String unnamed = "report " + index;
    Map<String, Node> fields = yaml.mapping(node, unnamed, FIELDS);
    Node nameNode = fields.get("name");
    if (nameNode == null) {
      throw yaml.error(node, unnamed, "field 'name' is required");
    }
    String name = yaml.scalar(nameNode, unnamed, "name");
    String where = "report '" + name + "'";

    FlowFilter filter = filter(yaml, fields, where);
    if (!fields.containsKey("keys")) {
      throw yaml.error(
          node, where, "field 'keys' is required (racluster -m, e.g. keys: [proto, dport])");
    }
    ClusterKeySpec keys =
        yaml.field(fields, "keys", where, n -> ClusterKeySpec.parse(yaml.words(n, where, "keys")));
    ReportWindow window =
        fields.containsKey("window")
            ? yaml.field(fields, "window", where, n -> window(yaml, n, where))
            : ReportWindow.tumbling(Duration.ofMinutes(1));
    RankingOrder order =
        fields.containsKey("sort")
            ? yaml.field(
                fields, "sort", where, n -> RankingOrder.parse(yaml.words(n, where, "sort"), keys))
            : RankingOrder.parse(List.of("bytes"));
    int n = fields.containsKey("n") ? yaml.field(fields, "n", where, YamlFile::integer) : 10;
    List<String> columns =
        fields.containsKey("fields")
            ? yaml.words(fields.get("fields"), where, "fields")
            : ReportDefinition.defaultFields(keys);
    Set<ReportOutput> outputs =
        fields.containsKey("outputs")
            ? yaml.field(fields, "outputs", where, v -> outputs(v, where))
            : EnumSet.allOf(ReportOutput.class);
    try {
      return new ReportDefinition(name, filter, keys, window, order, n, columns, outputs);
    } catch (InvalidQueryException e) {
      // The record's checks start their message with the field they reject.
      String field =
          e.getMessage().startsWith("output field") ? "fields" : e.getMessage().split(" ")[0];
      throw yaml.error(
          fields.getOrDefault(field, node), where, "field '" + field + "': " + e.getMessage());
    }
  }

  /** The field {@code filter} of a definition: an Argus filter; absent = every record. */
  public static FlowFilter filter(YamlFile yaml, Map<String, Node> fields, String where) {
    Node filterNode = fields.get("filter");
    if (filterNode == null) {
      return FlowFilter.all();
    }
    try {
      return FlowFilter.parse(yaml.scalar(filterNode, where, "filter"));
    } catch (FilterSyntaxException e) {
      throw yaml.error(filterNode, where, "field 'filter', " + e.getMessage());
    }
  }

  /** A window: a tumbling size ({@code 5m}) or a mapping of size, slide, zone and lateness. */
  public static ReportWindow window(YamlFile yaml, Node node, String where) {
    if (node instanceof ScalarNode) {
      return ReportWindow.tumbling(Durations.parse(yaml.scalar(node, where, "window")));
    }
    Map<String, Node> parts = yaml.mapping(node, where + ", field 'window'", WINDOW_FIELDS);
    if (!parts.containsKey("size")) {
      throw yaml.error(node, where, "field 'window': 'size' is required, e.g. {size: 1h}");
    }
    Duration size = Durations.parse(yaml.scalar(parts.get("size"), where, "window.size"));
    Duration slide =
        parts.containsKey("slide")
            ? Durations.parse(yaml.scalar(parts.get("slide"), where, "window.slide"))
            : size;
    ZoneOffset zone =
        parts.containsKey("zone")
            ? zone(yaml.scalar(parts.get("zone"), where, "window.zone"))
            : ZoneOffset.UTC;
    Duration lateness =
        parts.containsKey("lateness")
            ? Durations.parse(yaml.scalar(parts.get("lateness"), where, "window.lateness"))
            : Duration.ZERO;
    return new ReportWindow(size, slide, zone, lateness);
  }

  /** A zone whose offset never changes; windows cannot follow daylight saving time. */
  private static ZoneOffset zone(String text) {
    ZoneId zone;
    try {
      zone = ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + text + "' is not a time zone, e.g. UTC or +02:00");
    }
    if (!zone.getRules().isFixedOffset()) {
      throw new IllegalArgumentException(
          "zone "
              + text
              + " changes its UTC offset (daylight saving); windows need a fixed offset such as"
              + " +01:00");
    }
    return zone.getRules().getOffset(java.time.Instant.EPOCH);
  }

  private Set<ReportOutput> outputs(Node node, String where) {
    Set<ReportOutput> outputs = EnumSet.noneOf(ReportOutput.class);
    for (String word : yaml.words(node, where, "outputs")) {
      outputs.add(ReportOutput.byWord(word));
    }
    return outputs;
  }
}

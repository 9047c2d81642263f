package org.argosy.query.report;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.InvalidQueryException;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FilterSyntaxException;
import org.argosy.query.filter.FlowFilter;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

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

  private final String source;

  private ReportFile(String source) {
    this.source = source;
  }

  public static List<ReportDefinition> load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ReportFileException(file + ": cannot read the report file: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Parses report definitions from {@code yaml}; {@code source} names it in messages (a path). */
  public static List<ReportDefinition> parse(String yaml, String source) {
    return new ReportFile(source).reports(compose(yaml, source));
  }

  private static Node compose(String yaml, String source) {
    try {
      Node root =
          new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
      if (root == null) {
        throw new ReportFileException(source + ": the report file is empty");
      }
      return root;
    } catch (MarkedYAMLException e) {
      throw new ReportFileException(
          source
              + ":"
              + (e.getProblemMark().getLine() + 1)
              + ":"
              + (e.getProblemMark().getColumn() + 1)
              + ": not valid YAML: "
              + e.getProblem());
    } catch (YAMLException e) {
      throw new ReportFileException(source + ": not valid YAML: " + e.getMessage());
    }
  }

  private List<ReportDefinition> reports(Node root) {
    Map<String, Node> top = mapping(root, "the file", Set.of("reports"));
    Node list = top.get("reports");
    if (!(list instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
      throw error(
          list == null ? root : list, "the file", "a non-empty list 'reports:' is required");
    }
    List<ReportDefinition> reports = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (Node node : sequence.getValue()) {
      index++;
      ReportDefinition report = report(node, index);
      if (!names.add(report.name())) {
        throw error(node, "report '" + report.name() + "'", "field 'name': the name is used twice");
      }
      reports.add(report);
    }
    return List.copyOf(reports);
  }

  private ReportDefinition report(Node node, int index) {
    String unnamed = "report " + index;
    Map<String, Node> fields = mapping(node, unnamed, FIELDS);
    Node nameNode = fields.get("name");
    if (nameNode == null) {
      throw error(node, unnamed, "field 'name' is required");
    }
    String name = scalar(nameNode, unnamed, "name");
    String where = "report '" + name + "'";

    FlowFilter filter = FlowFilter.all();
    if (fields.containsKey("filter")) {
      Node filterNode = fields.get("filter");
      try {
        filter = FlowFilter.parse(scalar(filterNode, where, "filter"));
      } catch (FilterSyntaxException e) {
        throw error(filterNode, where, "field 'filter', " + e.getMessage());
      }
    }
    if (!fields.containsKey("keys")) {
      throw error(
          node, where, "field 'keys' is required (racluster -m, e.g. keys: [proto, dport])");
    }
    ClusterKeySpec keys =
        field(fields, "keys", where, n -> ClusterKeySpec.parse(words(n, where, "keys")));
    ReportWindow window =
        fields.containsKey("window")
            ? field(fields, "window", where, n -> window(n, where))
            : ReportWindow.tumbling(Duration.ofMinutes(1));
    RankingOrder order =
        fields.containsKey("sort")
            ? field(fields, "sort", where, n -> RankingOrder.parse(words(n, where, "sort"), keys))
            : RankingOrder.parse(List.of("bytes"));
    int n = fields.containsKey("n") ? field(fields, "n", where, ReportFile::integer) : 10;
    List<String> columns =
        fields.containsKey("fields")
            ? words(fields.get("fields"), where, "fields")
            : ReportDefinition.defaultFields(keys);
    Set<ReportOutput> outputs =
        fields.containsKey("outputs")
            ? field(fields, "outputs", where, v -> outputs(v, where))
            : EnumSet.allOf(ReportOutput.class);
    try {
      return new ReportDefinition(name, filter, keys, window, order, n, columns, outputs);
    } catch (InvalidQueryException e) {
      // The record's checks start their message with the field they reject.
      String field =
          e.getMessage().startsWith("output field") ? "fields" : e.getMessage().split(" ")[0];
      throw error(
          fields.getOrDefault(field, node), where, "field '" + field + "': " + e.getMessage());
    }
  }

  /** Reads one field, turning a rejected value into a message naming report and field. */
  private <T> T field(Map<String, Node> fields, String field, String where, FieldReader<T> reader) {
    Node node = fields.get(field);
    try {
      return reader.read(node);
    } catch (ReportFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw error(node, where, "field '" + field + "': " + e.getMessage());
    }
  }

  @FunctionalInterface
  private interface FieldReader<T> {
    T read(Node node);
  }

  private ReportWindow window(Node node, String where) {
    if (node instanceof ScalarNode) {
      return ReportWindow.tumbling(Durations.parse(scalar(node, where, "window")));
    }
    Map<String, Node> parts = mapping(node, where + ", field 'window'", WINDOW_FIELDS);
    if (!parts.containsKey("size")) {
      throw error(node, where, "field 'window': 'size' is required, e.g. {size: 1h}");
    }
    Duration size = Durations.parse(scalar(parts.get("size"), where, "window.size"));
    Duration slide =
        parts.containsKey("slide")
            ? Durations.parse(scalar(parts.get("slide"), where, "window.slide"))
            : size;
    ZoneOffset zone =
        parts.containsKey("zone")
            ? zone(scalar(parts.get("zone"), where, "window.zone"))
            : ZoneOffset.UTC;
    Duration lateness =
        parts.containsKey("lateness")
            ? Durations.parse(scalar(parts.get("lateness"), where, "window.lateness"))
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
    for (String word : words(node, where, "outputs")) {
      outputs.add(ReportOutput.byWord(word));
    }
    return outputs;
  }

  private static int integer(Node node) {
    String text = node instanceof ScalarNode scalar ? scalar.getValue() : "";
    if (!text.matches("\\d{1,6}")) {
      throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  /** A list of words, or one space-separated string of them ({@code keys: proto dport}). */
  private List<String> words(Node node, String where, String field) {
    List<String> words = new ArrayList<>();
    if (node instanceof SequenceNode sequence) {
      for (Node item : sequence.getValue()) {
        words.add(scalar(item, where, field));
      }
    } else {
      String text = scalar(node, where, field).strip();
      if (!text.isEmpty()) {
        words.addAll(Arrays.asList(text.split("[\\s,]+")));
      }
    }
    return words;
  }

  private String scalar(Node node, String where, String field) {
    if (!(node instanceof ScalarNode scalar)) {
      throw error(node, where, "field '" + field + "' must be a single value");
    }
    return scalar.getValue();
  }

  /** The keys of a mapping node; a key not in {@code allowed} is an error (a typo, usually). */
  private Map<String, Node> mapping(Node node, String where, Set<String> allowed) {
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, where, "expected a mapping of " + String.join(", ", sorted(allowed)));
    }
    Map<String, Node> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = scalar(tuple.getKeyNode(), where, "key");
      if (!allowed.contains(key)) {
        throw error(
            tuple.getKeyNode(),
            where,
            "unknown field '" + key + "'; known fields: " + String.join(", ", sorted(allowed)));
      }
      if (fields.put(key, tuple.getValueNode()) != null) {
        throw error(tuple.getKeyNode(), where, "field '" + key + "' is given twice");
      }
    }
    return fields;
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  private ReportFileException error(Node node, String where, String problem) {
    return new ReportFileException(
        source + ":" + (node.getStartMark().getLine() + 1) + ": " + where + ": " + problem);
  }
}

package org.argosy.query.alert;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.argosy.avro.AlertSeverity;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowKeyField;
import org.argosy.query.InvalidQueryException;
import org.argosy.query.SortKey;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.report.ReportFile;
import org.argosy.query.report.ReportWindow;
import org.argosy.query.yaml.Durations;
import org.argosy.query.yaml.YamlFile;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads an alert rule file: YAML with a list {@code rules}, each rule a mapping of
 *
 * <pre>
 * name:     elephant-flows     # required, unique; names the alerts and Flink operators
 * kind:     elephant           # threshold | elephant | distinct | top-entry | top-ephemeral | new-key
 * severity: critical           # info | warning (default) | critical
 * scope:    global             # global (default) or site: one condition per site
 * filter:   tcp                # Argus filter; absent = every record
 * keys:     [daddr]            # racluster -m key (elephant: one conversation, the default)
 * window:   1m                 # as in report files: a size, or {size, slide, zone, lateness}
 * metric:   bytes              # threshold: what is compared; top-*: what is ranked (default bytes)
 * above:    10G                # threshold, elephant (bytes), distinct (count); K M G T = 10^3..10^12
 * share:    50%                # elephant: of the window's bytes; top-ephemeral: of the top N rows
 * count:    dport              # distinct: the field whose distinct values are counted per key
 * n:        10                 # top-*: ranking length (default 10)
 * absent:   3                  # top-entry, new-key: windows a key was absent (default 3)
 * ephemeral-from: 32768        # top-ephemeral: lowest ephemeral port (default 32768, Linux's)
 * cooldown: 1m                 # an ongoing alert is updated at most this often (default 1m)
 * </pre>
 *
 * Everything is checked before anything runs; the first problem is an {@link
 * AlertRuleFileException} naming the file, line, rule and field (and, for a filter, its column).
 */
public final class AlertRuleFile {

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "kind",
          "severity",
          "scope",
          "filter",
          "keys",
          "window",
          "metric",
          "above",
          "share",
          "count",
          "n",
          "absent",
          "ephemeral-from",
          "cooldown");

  private final YamlFile yaml;

  private AlertRuleFile(String source) {
    this.yaml = YamlFile.of(source, AlertRuleFileException::new);
  }

  public static List<AlertRule> load(Path file) {
    return parse(
        YamlFile.read(file, "alert rule file", AlertRuleFileException::new), file.toString());
  }

  /** Parses rules from {@code text}; {@code source} names it in messages (a path). */
  public static List<AlertRule> parse(String text, String source) {
    return new AlertRuleFile(source).rules(text);
  }

  private List<AlertRule> rules(String text) {
    List<AlertRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (Node node : yaml.topLevelList(yaml.compose(text, "alert rule file"), "rules")) {
      index++;
      AlertRule rule = rule(node, index);
      if (!names.add(rule.name())) {
        throw yaml.error(
            node, "rule '" + rule.name() + "'", "field 'name': the name is used twice");
      }
      rules.add(rule);
    }
    return List.copyOf(rules);
  }

  private AlertRule rule(Node node, int index) {
    String unnamed = "rule " + index;
    Map<String, Node> fields = yaml.mapping(node, unnamed, FIELDS);
    for (String required : List.of("name", "kind")) {
      if (!fields.containsKey(required)) {
        throw yaml.error(node, unnamed, "field '" + required + "' is required");
      }
    }
    String name = yaml.scalar(fields.get("name"), unnamed, "name");
    String where = "rule '" + name + "'";
    AlertRuleKind kind =
        yaml.field(fields, "kind", where, n -> AlertRuleKind.byWord(yaml.scalar(n, where, "kind")));
    AlertSeverity severity =
        fields.containsKey("severity")
            ? yaml.field(
                fields, "severity", where, n -> severity(yaml.scalar(n, where, "severity")))
            : AlertSeverity.WARNING;
    boolean perSite =
        fields.containsKey("scope")
            && yaml.field(fields, "scope", where, n -> perSite(yaml.scalar(n, where, "scope")));
    FlowFilter filter = ReportFile.filter(yaml, fields, where);
    ClusterKeySpec keys = keys(fields, kind, perSite, where, node);
    ReportWindow window =
        fields.containsKey("window")
            ? yaml.field(fields, "window", where, n -> ReportFile.window(yaml, n, where))
            : ReportWindow.tumbling(Duration.ofMinutes(1));
    SortKey metric =
        fields.containsKey("metric")
            ? yaml.field(
                fields, "metric", where, n -> SortKey.byArgusName(yaml.scalar(n, where, "metric")))
            : SortKey.BYTES;
    double above =
        fields.containsKey("above")
            ? yaml.field(fields, "above", where, n -> amount(yaml.scalar(n, where, "above")))
            : Double.NaN;
    double share =
        fields.containsKey("share")
            ? yaml.field(fields, "share", where, n -> share(yaml.scalar(n, where, "share")))
            : Double.NaN;
    FlowKeyField count =
        fields.containsKey("count")
            ? yaml.field(
                fields,
                "count",
                where,
                n -> FlowKeyField.byArgusName(yaml.scalar(n, where, "count")))
            : null;
    int n = fields.containsKey("n") ? yaml.field(fields, "n", where, YamlFile::integer) : 10;
    int absent =
        fields.containsKey("absent") ? yaml.field(fields, "absent", where, YamlFile::integer) : 3;
    int ephemeralFrom =
        fields.containsKey("ephemeral-from")
            ? yaml.field(fields, "ephemeral-from", where, AlertRuleFile::port)
            : 32768;
    Duration cooldown =
        fields.containsKey("cooldown")
            ? yaml.field(
                fields, "cooldown", where, c -> Durations.parse(yaml.scalar(c, where, "cooldown")))
            : Duration.ofMinutes(1);
    for (String field : unusedFields(kind)) {
      if (fields.containsKey(field)) {
        throw yaml.error(
            fields.get(field),
            where,
            "field '" + field + "' has no meaning for a " + kind.word() + " rule");
      }
    }
    try {
      return new AlertRule(
          name,
          kind,
          severity,
          filter,
          keys,
          perSite,
          window,
          metric,
          above,
          share,
          count,
          n,
          absent,
          ephemeralFrom,
          cooldown);
    } catch (InvalidQueryException e) {
      // The record's checks start their message with the field they reject: "above: ...".
      String field = e.getMessage().split(":")[0];
      throw yaml.error(fields.getOrDefault(field, node), where, "field " + e.getMessage());
    }
  }

  /** Fields a kind ignores: giving one is a mistake worth reporting rather than silently unused. */
  private static List<String> unusedFields(AlertRuleKind kind) {
    return switch (kind) {
      case THRESHOLD -> List.of("share", "count", "n", "absent", "ephemeral-from");
      case ELEPHANT -> List.of("metric", "count", "n", "absent", "ephemeral-from");
      case DISTINCT -> List.of("metric", "share", "n", "absent", "ephemeral-from");
      case TOP_ENTRY -> List.of("above", "share", "count", "ephemeral-from");
      case TOP_EPHEMERAL -> List.of("above", "count", "absent");
      case NEW_KEY -> List.of("metric", "above", "share", "count", "n", "ephemeral-from");
    };
  }

  private ClusterKeySpec keys(
      Map<String, Node> fields, AlertRuleKind kind, boolean perSite, String where, Node rule) {
    List<String> words;
    if (fields.containsKey("keys")) {
      words = new ArrayList<>(yaml.words(fields.get("keys"), where, "keys"));
    } else if (kind == AlertRuleKind.ELEPHANT) {
      words = new ArrayList<>(AlertRule.CONVERSATION);
    } else {
      throw yaml.error(rule, where, "field 'keys' is required (racluster -m, e.g. keys: saddr)");
    }
    if (words.contains("site")) {
      throw yaml.error(
          fields.get("keys"), where, "field 'keys': write 'scope: site' rather than a site key");
    }
    if (perSite) {
      words.add(0, "site");
    }
    List<String> finalWords = words;
    return fields.containsKey("keys")
        ? yaml.field(fields, "keys", where, n -> ClusterKeySpec.parse(finalWords))
        : ClusterKeySpec.parse(words);
  }

  private static AlertSeverity severity(String text) {
    return switch (text) {
      case "info" -> AlertSeverity.INFO;
      case "warning" -> AlertSeverity.WARNING;
      case "critical" -> AlertSeverity.CRITICAL;
      default ->
          throw new IllegalArgumentException(
              "'" + text + "' is not a severity; write info, warning or critical");
    };
  }

  private static boolean perSite(String text) {
    return switch (text) {
      case "site" -> true;
      case "global" -> false;
      default ->
          throw new IllegalArgumentException("'" + text + "' is not a scope; write global or site");
    };
  }

  /** A non-negative amount with an optional SI multiplier: 500, 1.5M, 10G. */
  static double amount(String text) {
    String trimmed = text.strip().toUpperCase(Locale.ROOT);
    if (!trimmed.matches("\\d+(\\.\\d+)?[KMGT]?")) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not an amount; write a number with an optional K, M, G or T, e.g. 1.5G");
    }
    char last = trimmed.charAt(trimmed.length() - 1);
    double multiplier =
        switch (last) {
          case 'K' -> 1e3;
          case 'M' -> 1e6;
          case 'G' -> 1e9;
          case 'T' -> 1e12;
          default -> 1;
        };
    String number = multiplier == 1 ? trimmed : trimmed.substring(0, trimmed.length() - 1);
    return Double.parseDouble(number) * multiplier;
  }

  /** A fraction written as a percentage (60%) or as a number from 0 to 1 (0.6). */
  static double share(String text) {
    String trimmed = text.strip();
    boolean percent = trimmed.endsWith("%");
    String number = percent ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    if (!number.matches("\\d+(\\.\\d+)?")) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a share; write a percentage such as 60% or a fraction such as 0.6");
    }
    double value = Double.parseDouble(number);
    return percent ? value / 100 : value;
  }

  private static int port(Node node) {
    int port = YamlFile.integer(node);
    if (port > 65535) {
      throw new IllegalArgumentException("a port is at most 65535, got " + port);
    }
    return port;
  }
}

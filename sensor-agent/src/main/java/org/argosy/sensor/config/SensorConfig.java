package org.argosy.sensor.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.argosy.query.config.SecretSettings;
import org.argosy.sensor.delivery.FsyncPolicy;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The sensor's settings as flat dotted keys ({@code site}, {@code kafka.bootstrap}, {@code
 * spool.max-bytes}, ...), merged from a YAML file, then environment variables, then command-line
 * flags: a later source wins. Any Kafka client property passes through under {@code
 * kafka.properties.} (TLS, SASL). Unknown keys are an error naming the key and where it came from.
 */
public final class SensorConfig {

  /** Keys the sensor understands, besides the {@code kafka.properties.} pass-through. */
  public static final Set<String> KEYS =
      Set.of(
          "site",
          "sensor-id",
          "interfaces",
          "files",
          "status-interval",
          "kafka.bootstrap",
          "kafka.topic",
          "spool.dir",
          "spool.max-bytes",
          "spool.segment-bytes",
          "spool.fsync",
          "queue.records",
          "drain-timeout",
          "metrics.bind");

  public static final String KAFKA_PROPERTIES = "kafka.properties.";

  /** Environment variables start with this: ARGOSY_SENSOR_KAFKA_BOOTSTRAP is kafka.bootstrap. */
  public static final String ENV_PREFIX = "ARGOSY_SENSOR_";

  /** Kafka properties are named like this in the environment, with _ for each dot. */
  public static final String ENV_KAFKA_PREFIX = ENV_PREFIX + "KAFKA_PROPERTY_";

  private final Map<String, String> values;

  private SensorConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * Merges the sources, later ones winning.
   *
   * @param file the YAML file, or null
   * @param environment the process environment (only ARGOSY_SENSOR_* variables are read)
   * @param flags settings given on the command line, by key
   */
  public static SensorConfig merge(
      Path file, Map<String, String> environment, Map<String, String> flags) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (file != null) {
      merged.putAll(fromYaml(file));
    }
    merged.putAll(fromEnvironment(environment));
    flags.forEach((key, value) -> merged.put(checkKey(key, "command line"), value));
    SensorConfig config = new SensorConfig(merged);
    config.checkValues();
    return config;
  }

  /** Settings that are whole numbers (bytes, records, seconds). */
  private static final Set<String> WHOLE_NUMBERS =
      Set.of(
          "status-interval",
          "spool.max-bytes",
          "spool.segment-bytes",
          "queue.records",
          "drain-timeout");

  /**
   * Every value is checked here, before the sensor opens a capture or a spool, so that a typo in a
   * setting read late (the spool's, when Kafka delivery starts) is a usage error naming it up
   * front.
   */
  private void checkValues() {
    for (String key : WHOLE_NUMBERS) {
      if (getLong(key, 0) < 0) {
        throw new InvalidConfigException(
            "setting " + key + " must not be negative, got '" + values.get(key) + "'");
      }
    }
    String fsync = values.get("spool.fsync");
    if (fsync != null
        && Arrays.stream(FsyncPolicy.values())
            .noneMatch(policy -> policy.name().equalsIgnoreCase(fsync.trim()))) {
      throw new InvalidConfigException(
          "setting spool.fsync must be one of always, segment or never, got '" + fsync + "'");
    }
  }

  /** The spool's fsync policy (spool.fsync, any case). */
  public FsyncPolicy fsyncPolicy(FsyncPolicy fallback) {
    String value = values.get("spool.fsync");
    return value == null ? fallback : FsyncPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
  }

  static Map<String, String> fromYaml(Path file) {
    Object document;
    try (InputStream in = Files.newInputStream(file)) {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      throw new InvalidConfigException("cannot read config file " + file + ": " + e.getMessage());
    } catch (MarkedYAMLException e) {
      // Line, column and problem only: SnakeYAML's full message quotes the offending line, which
      // may be the one holding a password.
      throw new InvalidConfigException(
          "config file "
              + file
              + ":"
              + (e.getProblemMark().getLine() + 1)
              + ":"
              + (e.getProblemMark().getColumn() + 1)
              + " is not valid YAML: "
              + e.getProblem());
    } catch (YAMLException e) {
      throw new InvalidConfigException(
          "config file " + file + " is not valid YAML: " + e.getClass().getSimpleName());
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (document == null) {
      return flat;
    }
    if (!(document instanceof Map<?, ?> root)) {
      throw new InvalidConfigException("config file " + file + ": expected a mapping of settings");
    }
    flatten("", root, flat, file);
    return flat;
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> into, Path file) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = prefix + entry.getKey();
      Object value = entry.getValue();
      if (value instanceof Map<?, ?> nested && !key.equals("kafka.properties")) {
        flatten(key + ".", nested, into, file);
      } else if (value instanceof Map<?, ?> properties) {
        properties.forEach((name, v) -> into.put(KAFKA_PROPERTIES + name, String.valueOf(v)));
      } else if (value instanceof List<?> list) {
        into.put(
            checkKey(key, file.toString()),
            list.stream().map(String::valueOf).collect(Collectors.joining(",")));
      } else {
        into.put(checkKey(key, file.toString()), String.valueOf(value));
      }
    }
  }

  static Map<String, String> fromEnvironment(Map<String, String> environment) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (name.startsWith(ENV_KAFKA_PREFIX)) {
        String property =
            name.substring(ENV_KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        settings.put(KAFKA_PROPERTIES + property, variable.getValue());
      } else if (name.startsWith(ENV_PREFIX)) {
        settings.put(
            checkKey(keyOfVariable(name), "environment variable " + name), variable.getValue());
      }
    }
    return settings;
  }

  /** ARGOSY_SENSOR_SPOOL_MAX_BYTES is spool.max-bytes: the first _ after a section is a dot. */
  private static String keyOfVariable(String name) {
    String rest = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
    for (String section : List.of("kafka", "spool", "queue", "metrics")) {
      if (rest.startsWith(section + "_")) {
        return section + "." + rest.substring(section.length() + 1).replace('_', '-');
      }
    }
    return rest.replace('_', '-');
  }

  private static String checkKey(String key, String source) {
    if (!KEYS.contains(key) && !key.startsWith(KAFKA_PROPERTIES)) {
      throw new InvalidConfigException(
          "unknown setting '"
              + key
              + "' in "
              + source
              + "; known settings: "
              + KEYS.stream().sorted().collect(Collectors.joining(" "))
              + " and kafka.properties.<any Kafka client property>");
    }
    return key;
  }

  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public long getLong(String key, long fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(
          "setting " + key + " must be a whole number, got '" + value + "'");
    }
  }

  public List<String> getList(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? List.of() : List.of(value.split("\\s*,\\s*"));
  }

  /** The Kafka client properties to pass through, without the prefix. */
  public Map<String, String> kafkaProperties() {
    Map<String, String> properties = new TreeMap<>();
    values.forEach(
        (key, value) -> {
          if (key.startsWith(KAFKA_PROPERTIES)) {
            properties.put(key.substring(KAFKA_PROPERTIES.length()), value);
          }
        });
    return properties;
  }

  /** The merged settings, one {@code key: value} line each, secrets masked, for --print-config. */
  public String printable() {
    return new TreeMap<>(values)
        .entrySet().stream()
            .map(e -> e.getKey() + ": " + SecretSettings.printable(e.getKey(), e.getValue()))
            .collect(Collectors.joining("\n", "", "\n"));
  }
}

package org.argosy.sensor.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.argosy.query.config.SettingsYaml;
import org.argosy.sensor.delivery.FsyncPolicy;

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
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, String> settings;
    try {
      settings = SettingsYaml.parse(text, "config file " + file);
    } catch (SettingsYaml.InvalidSettingsException e) {
      throw new InvalidConfigException(e.getMessage());
    }
    for (String key : settings.keySet()) {
      checkKey(key, file.toString());
    }
    return settings;
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

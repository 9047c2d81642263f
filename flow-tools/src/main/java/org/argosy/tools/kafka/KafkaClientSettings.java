package org.argosy.tools.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.argosy.query.config.SecretSettings;
import org.argosy.query.config.SettingsYaml;

/**
 * The Kafka client properties (TLS, SASL, timeouts) that {@code argosy jobs} and every command
 * reading a topic give their consumers, producers and admin clients: read from a file ({@code
 * --kafka-config FILE}), then from {@code ARGOSY_KAFKA_PROPERTY_*} environment variables, which
 * win, so that a password can come from a secret store's environment instead of a file or the
 * command line. The names are the sensor's {@code kafka.properties.*} and {@code
 * ARGOSY_SENSOR_KAFKA_PROPERTY_*} without the sensor's prefix, so one set of properties serves
 * both.
 *
 * <p>The file is Kafka's own client properties format ({@code security.protocol=SASL_SSL}, as
 * Kafka's command-line tools read), or YAML when its name ends in {@code .yaml} or {@code .yml}: a
 * mapping of property names, where nested mappings join with dots. Every name must be a Kafka
 * consumer, producer or admin client property, and every value must be one Kafka accepts for it:
 * both are checked here, before anything connects, so a typo is a usage error naming it instead of
 * a client that silently ignores the setting and then times out. Messages and {@link #toString}
 * never show the value of a secret ({@link SecretSettings}).
 */
public final class KafkaClientSettings {

  /** ARGOSY_KAFKA_PROPERTY_SSL_TRUSTSTORE_PASSWORD is ssl.truststore.password. */
  public static final String ENV_PREFIX = "ARGOSY_KAFKA_PROPERTY_";

  private static final KafkaClientSettings NONE = new KafkaClientSettings(Map.of());

  /** Each client kind's definitions: a property is valid when one of them defines it. */
  private static final List<ConfigDef> DEFINITIONS =
      List.of(
          ConsumerConfig.configDef(), ProducerConfig.configDef(), AdminClientConfig.configDef());

  private final Map<String, String> properties;

  private KafkaClientSettings(Map<String, String> properties) {
    this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
  }

  /** No properties: a plaintext cluster without login. */
  public static KafkaClientSettings none() {
    return NONE;
  }

  /**
   * The file's properties, then the environment's.
   *
   * @param file the properties or YAML file, or null for none
   * @param environment the process environment; only ARGOSY_KAFKA_PROPERTY_* variables are read
   */
  public static KafkaClientSettings load(Path file, Map<String, String> environment) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (file != null) {
      readFile(file)
          .forEach((name, value) -> merged.put(check(name, value, file.toString()), value));
    }
    new TreeMap<>(environment)
        .forEach(
            (variable, value) -> {
              if (variable.startsWith(ENV_PREFIX)) {
                String name =
                    variable
                        .substring(ENV_PREFIX.length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                merged.put(check(name, value, "environment variable " + variable), value);
              }
            });
    return new KafkaClientSettings(merged);
  }

  /** Properties given directly (tests, embedding), checked as a file's are. */
  public static KafkaClientSettings of(Map<String, String> properties) {
    properties.forEach((name, value) -> check(name, value, "the client properties"));
    return new KafkaClientSettings(properties);
  }

  /** The properties to hand to a Kafka client; bootstrap.servers is never among them. */
  public Map<String, String> properties() {
    return properties;
  }

  public boolean isEmpty() {
    return properties.isEmpty();
  }

  /** One {@code name=value} line per property, secrets masked. */
  public String printable() {
    return properties.entrySet().stream()
        .map(e -> e.getKey() + "=" + SecretSettings.printable(e.getKey(), e.getValue()))
        .collect(Collectors.joining("\n", "", properties.isEmpty() ? "" : "\n"));
  }

  /** Masked: settings end up in log lines and in records' toString. */
  @Override
  public String toString() {
    return properties.entrySet().stream()
        .map(e -> e.getKey() + "=" + SecretSettings.printable(e.getKey(), e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static Map<String, String> readFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KafkaClientConfigException(
          "cannot read Kafka client settings file " + file + ": " + describe(e));
    }
    String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml")
        ? fromYaml(text, file)
        : fromProperties(new StringReader(text), file);
  }

  private static Map<String, String> fromProperties(Reader text, Path file) {
    Properties loaded = new Properties();
    try {
      loaded.load(text);
    } catch (IOException | IllegalArgumentException e) {
      // only a malformed \\uXXXX escape gets here; its message quotes no value
      throw new KafkaClientConfigException(
          "Kafka client settings file " + file + " is not a properties file: " + e.getMessage());
    }
    Map<String, String> properties = new LinkedHashMap<>();
    loaded.stringPropertyNames().stream()
        .sorted()
        .forEach(name -> properties.put(name.strip(), loaded.getProperty(name).strip()));
    return properties;
  }

  private static Map<String, String> fromYaml(String text, Path file) {
    try {
      return SettingsYaml.parse(text, "Kafka client settings file " + file);
    } catch (SettingsYaml.InvalidSettingsException e) {
      throw new KafkaClientConfigException(e.getMessage());
    }
  }

  /** Fails unless Kafka knows the property and accepts the value; returns the name. */
  private static String check(String name, String value, String source) {
    if (name.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new KafkaClientConfigException(
          "bootstrap.servers in "
              + source
              + ": the cluster is named on the command line (--bootstrap HOST:PORT, or -S"
              + " kafka://HOST:PORT/TOPIC), not among the client properties");
    }
    // Kafka's config providers (config.providers=file, config.providers.file.class=...) resolve
    // ${file:...} references in the values; their own settings are not in the clients' definitions.
    if (name.equals("config.providers") || name.startsWith("config.providers.")) {
      return name;
    }
    ConfigDef.ConfigKey key = null;
    for (ConfigDef definition : DEFINITIONS) {
      key = definition.configKeys().get(name);
      if (key != null) {
        break;
      }
    }
    if (key == null) {
      throw new KafkaClientConfigException(
          "unknown Kafka client property '"
              + name
              + "' in "
              + source
              + ": not a property of Kafka's consumer, producer or admin client (a typo?)");
    }
    if (value.contains("${")) {
      return name; // a config provider's reference: Kafka resolves and checks it when it connects
    }
    try {
      Object parsed = ConfigDef.parseType(name, value, key.type);
      if (key.validator != null) {
        key.validator.ensureValid(name, parsed);
      }
    } catch (ConfigException e) {
      throw new KafkaClientConfigException(
          "Kafka client property "
              + name
              + " in "
              + source
              + (SecretSettings.isSecret(name)
                  ? ": the value is not valid"
                  : ": " + e.getMessage().replace("Invalid value ", "invalid value ")));
    }
    return name;
  }

  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "no such file"
        : e instanceof java.nio.file.AccessDeniedException
            ? "permission denied"
            : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}

package org.argosy.query.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Settings files in YAML (the sensor's, the Kafka client settings of the jobs and tools): a
 * mapping, nested or not, read as flat dotted names ({@code spool: {dir: x}} is {@code
 * spool.dir=x}; a list is its values joined by commas). Errors name the source, line and column but
 * never quote the text: the offending line may be the one holding a password.
 */
public final class SettingsYaml {

  /** A settings file that is not a mapping of settings; the message holds no setting's value. */
  public static final class InvalidSettingsException extends IllegalArgumentException {
    InvalidSettingsException(String message) {
      super(message);
    }
  }

  private SettingsYaml() {}

  /**
   * The settings of {@code text}, in file order.
   *
   * @param source names the text in messages, e.g. "config file /etc/argosy/sensor.yaml"
   * @throws InvalidSettingsException for bad YAML, a document that is not a mapping, or a setting
   *     without a value
   */
  public static Map<String, String> parse(String text, String source) {
    Object document;
    try {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (MarkedYAMLException e) {
      throw new InvalidSettingsException(
          source
              + ":"
              + (e.getProblemMark().getLine() + 1)
              + ":"
              + (e.getProblemMark().getColumn() + 1)
              + " is not valid YAML: "
              + e.getProblem());
    } catch (YAMLException e) {
      throw new InvalidSettingsException(
          source + " is not valid YAML: " + e.getClass().getSimpleName());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    if (document == null) {
      return settings;
    }
    if (!(document instanceof Map<?, ?> root)) {
      throw new InvalidSettingsException(
          source + ": expected a mapping of settings, one 'name: value' per line");
    }
    flatten("", root, settings, source);
    return settings;
  }

  private static void flatten(
      String prefix, Map<?, ?> map, Map<String, String> into, String source) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String name = prefix + entry.getKey();
      Object value = entry.getValue();
      if (value instanceof Map<?, ?> nested) {
        flatten(name + ".", nested, into, source);
      } else if (value instanceof List<?> list) {
        into.put(name, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
      } else if (value == null) {
        throw new InvalidSettingsException("setting " + name + " in " + source + " has no value");
      } else {
        into.put(name, String.valueOf(value));
      }
    }
  }
}

package org.argosy.query.yaml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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
 * The YAML node reading that report and alert-rule files share: every value is read from the node
 * tree (not from constructed Java objects) so that each error can name the file and line, the
 * definition ({@code where}) and the field. Unknown fields are errors, since they are usually
 * typos.
 */
public final class YamlFile {

  private final String source;
  private final Function<String, ? extends DefinitionFileException> errors;

  private YamlFile(String source, Function<String, ? extends DefinitionFileException> errors) {
    this.source = source;
    this.errors = errors;
  }

  /**
   * @param source names the file in messages (a path)
   * @param errors makes the exception for a message (the caller's own subtype)
   */
  public static YamlFile of(
      String source, Function<String, ? extends DefinitionFileException> errors) {
    return new YamlFile(source, errors);
  }

  /** Reads a file's text, or fails with a message naming it. */
  public static String read(
      Path file, String what, Function<String, ? extends DefinitionFileException> errors) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw errors.apply(file + ": cannot read the " + what + ": " + e.getMessage());
    }
  }

  /** The root node of {@code yaml}; a syntax error names line and column. */
  public Node compose(String yaml, String what) {
    try {
      Node root =
          new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
      if (root == null) {
        throw errors.apply(source + ": the " + what + " is empty");
      }
      return root;
    } catch (MarkedYAMLException e) {
      throw errors.apply(
          source
              + ":"
              + (e.getProblemMark().getLine() + 1)
              + ":"
              + (e.getProblemMark().getColumn() + 1)
              + ": not valid YAML: "
              + e.getProblem());
    } catch (YAMLException e) {
      throw errors.apply(source + ": not valid YAML: " + e.getMessage());
    }
  }

  /** The items of the non-empty top-level list {@code name}, the only key the file may have. */
  public List<Node> topLevelList(Node root, String name) {
    Map<String, Node> top = mapping(root, "the file", Set.of(name));
    Node list = top.get(name);
    if (!(list instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
      throw error(
          list == null ? root : list, "the file", "a non-empty list '" + name + ":' is required");
    }
    return sequence.getValue();
  }

  /** Reads one field, turning a rejected value into a message naming definition and field. */
  public <T> T field(Map<String, Node> fields, String field, String where, FieldReader<T> reader) {
    Node node = fields.get(field);
    try {
      return reader.read(node);
    } catch (DefinitionFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw error(node, where, "field '" + field + "': " + e.getMessage());
    }
  }

  /** Reads a field's value from its node; throws IllegalArgumentException for a bad value. */
  @FunctionalInterface
  public interface FieldReader<T> {
    T read(Node node);
  }

  /** A whole number from 0 to 999999. */
  public static int integer(Node node) {
    String text = node instanceof ScalarNode scalar ? scalar.getValue() : "";
    if (!text.matches("\\d{1,6}")) {
      throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  /** A list of words, or one space-separated string of them ({@code keys: proto dport}). */
  public List<String> words(Node node, String where, String field) {
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

  public String scalar(Node node, String where, String field) {
    if (!(node instanceof ScalarNode scalar)) {
      throw error(node, where, "field '" + field + "' must be a single value");
    }
    return scalar.getValue();
  }

  /** The keys of a mapping node; a key not in {@code allowed} is an error (a typo, usually). */
  public Map<String, Node> mapping(Node node, String where, Set<String> allowed) {
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

  /** An error at {@code node}'s line, in definition {@code where}. */
  public DefinitionFileException error(Node node, String where, String problem) {
    return errors.apply(
        source + ":" + (node.getStartMark().getLine() + 1) + ": " + where + ": " + problem);
  }
}

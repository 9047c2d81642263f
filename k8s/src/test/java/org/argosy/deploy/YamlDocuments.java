package org.argosy.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Multi-document YAML as Jackson trees: the form every check here works on. */
final class YamlDocuments {

  private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

  private YamlDocuments() {}

  /** Every non-empty document of a YAML text, in order. */
  static List<JsonNode> parse(String yaml) {
    try (var parser = YAML.createParser(yaml)) {
      List<JsonNode> documents = new ArrayList<>();
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode document = it.next();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> parse(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  /** Every .yaml and .yml file under a folder, build output excluded, sorted. */
  static List<Path> filesUnder(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      return paths
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(p -> !folder.relativize(p).startsWith("target"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The elements of a YAML sequence as text. */
  static List<String> texts(JsonNode sequence) {
    return StreamSupport.stream(sequence.spliterator(), false).map(JsonNode::asText).toList();
  }
}

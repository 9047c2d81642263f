package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/local/topics.txt (the local cluster and docker-compose) against the KafkaTopics of k8s/:
 * the same topics with the same cleanup and retention; only partitions and replicas differ.
 */
class LocalTopicsTest {

  /** Topic name to its configuration, from topics.txt ("name partitions key=value..."). */
  static Map<String, Map<String, String>> localTopics() {
    Map<String, Map<String, String>> topics = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(ProjectPaths.deploy().resolve("local/topics.txt"))) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] words = line.strip().split("\\s+");
        assertThat(Integer.parseInt(words[1])).as(line).isPositive();
        Map<String, String> config = new HashMap<>();
        for (int i = 2; i < words.length; i++) {
          String[] keyValue = words[i].split("=", 2);
          config.put(keyValue[0], keyValue[1]);
        }
        topics.put(words[0], config);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return topics;
  }

  static List<String> topicNames() {
    return List.copyOf(localTopics().keySet());
  }

  @Test
  void localTopicsAreTheKubernetesTopicsWithTheSameCleanupAndRetention() {
    List<JsonNode> k8sTopics =
        YamlDocuments.parse(ProjectPaths.k8s().resolve("base/kafka/topics.yaml"));
    Map<String, Map<String, String>> local = localTopics();

    assertThat(local).hasSize(7);
    assertThat(local.keySet())
        .containsExactlyInAnyOrderElementsOf(
            k8sTopics.stream().map(t -> t.at("/metadata/name").asText()).toList());
    for (JsonNode topic : k8sTopics) {
      Map<String, String> config = local.get(topic.at("/metadata/name").asText());
      for (String key : List.of("cleanup.policy", "retention.ms", "min.compaction.lag.ms")) {
        JsonNode k8sValue = topic.at("/spec/config").path(key);
        assertThat(config.get(key))
            .as(topic.at("/metadata/name").asText() + " " + key)
            .isEqualTo(k8sValue.isMissingNode() ? null : k8sValue.asText());
      }
    }
  }
}

package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The validator itself: it must reject what a cluster or an operator would reject. */
class ManifestValidatorTest {

  private final ManifestValidator validator = ManifestValidator.forSharedSchemas();

  @Test
  void misspelledFieldOfCoreKindIsReportedWithItsPath() {
    var daemonSet =
        document(
            """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: sensor}
                spec:
                  template:
                    spec:
                      hostNetwrk: true
                      containers: [{name: sensor, image: x}]
                """);

    assertThat(validator.problems(daemonSet))
        .containsExactly("unknown field .spec.template.spec.hostNetwrk");
  }

  @Test
  void wrongTypeInCoreKindIsRejected() {
    var configMap =
        document(
            """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: [not, a, map]
                """);

    assertThat(validator.problems(configMap)).hasSize(1);
  }

  @Test
  void customResourceIsCheckedAgainstItsSchema() {
    var topic =
        document(
            """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: flows}
                spec:
                  partitons: 3
                  replicas: 0
                """);

    assertThat(validator.problems(topic))
        .anySatisfy(p -> assertThat(p).contains("partitons"))
        .anySatisfy(p -> assertThat(p).contains("replicas"));
  }

  @Test
  void validCustomResourcePasses() {
    var topic =
        document(
            """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: flows}
                spec: {partitions: 3, replicas: 3, config: {retention.ms: 1000}}
                """);

    assertThat(validator.problems(topic)).isEmpty();
  }

  @Test
  void kindsWithoutSchemaOrModelAreProblems() {
    var service = document("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n");
    var mirror =
        YamlDocuments.parse(
                "apiVersion: kafka.strimzi.io/v1\nkind: KafkaMirrorMaker2\nmetadata: {name: m}\n")
            .get(0);

    assertThat(validator.problems(service)).singleElement().asString().contains("no typed model");
    assertThat(validator.problems(mirror)).singleElement().asString().contains("no schema");
  }

  private static JsonNode document(String yaml) {
    return YamlDocuments.parse(yaml).get(0);
  }
}

package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/docker-compose.yml, parsed (Docker cannot run here). */
class ComposeFileTest {

  private final Path composeFile = ProjectPaths.deploy().resolve("docker-compose.yml");
  private final JsonNode services = YamlDocuments.parse(composeFile).get(0).path("services");

  @Test
  void runsKafkaFlinkAndOneSensor() {
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);

    assertThat(names)
        .containsExactlyInAnyOrder("kafka", "topics", "jobmanager", "taskmanager", "sensor");
    assertThat(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText())
        .isEqualTo("broker,controller");
  }

  @Test
  void everyPublishedPortIsBoundToLoopback() {
    List<String> ports = new ArrayList<>();
    services.forEach(s -> s.path("ports").forEach(p -> ports.add(p.asText())));

    assertThat(ports)
        .containsExactlyInAnyOrder("127.0.0.1:9092:9092", "127.0.0.1:8081:8081")
        .allMatch(p -> p.startsWith("127.0.0.1:"));
  }

  @Test
  void imagesArePinnedAndOursAreBuiltFromTheDeployDockerfiles() {
    services.forEach(
        service -> {
          String image = service.path("image").asText();
          assertThat(image).matches("[a-z0-9./-]+:[0-9][0-9A-Za-z._-]*");
          if (service.has("build")) {
            assertThat(image).startsWith("ghcr.io/argosy/").endsWith(":0.1.0");
            Path context = composeFile.getParent().resolve(service.at("/build/context").asText());
            assertThat(context.resolve(service.at("/build/dockerfile").asText())).isRegularFile();
          }
        });
    services.forEach(
        service ->
            service
                .path("volumes")
                .forEach(
                    v -> {
                      String hostPath = v.asText().split(":")[0];
                      assertThat(composeFile.getParent().resolve(hostPath)).exists();
                    }));
  }

  @Test
  void sensorCapturesWithOnlyTheCaptureCapabilities() {
    JsonNode sensor = services.path("sensor");

    assertThat(YamlDocuments.texts(sensor.path("cap_drop"))).containsExactly("ALL");
    assertThat(YamlDocuments.texts(sensor.path("cap_add")))
        .containsExactlyInAnyOrder("NET_RAW", "NET_ADMIN");
    assertThat(sensor.path("read_only").asBoolean()).isTrue();
    assertThat(sensor.path("privileged").asBoolean(false)).isFalse();
    assertThat(YamlDocuments.texts(sensor.path("command")))
        .containsExactly(
            "sensor",
            "-i",
            "${ARGOSY_IFACE:-eth0}",
            "--kafka",
            "127.0.0.1:9092",
            "--topic",
            "flows",
            "--site",
            "${ARGOSY_SITE:-local}");
  }

  @Test
  void reportJobRunsWithTheArgumentsOfTheKubernetesReportJob() {
    List<String> command = YamlDocuments.texts(services.at("/jobmanager/command"));
    JsonNode k8sJob =
        YamlDocuments.parse(ProjectPaths.k8s().resolve("base/flink/report-job.yaml")).get(0);
    List<String> k8sArgs = YamlDocuments.texts(k8sJob.at("/spec/job/args"));

    assertThat(command.subList(0, 3))
        .containsExactly("standalone-job", "--job-classname", "org.argosy.cli.Argosy");
    // the same arguments, except where Kafka is
    List<String> composeArgs = command.subList(3, command.size());
    assertThat(composeArgs).hasSameSizeAs(k8sArgs);
    assertThat(composeArgs.subList(0, composeArgs.size() - 1))
        .isEqualTo(k8sArgs.subList(0, k8sArgs.size() - 1));
    assertThat(composeArgs.get(composeArgs.size() - 1)).isEqualTo("kafka:19092");
  }
}

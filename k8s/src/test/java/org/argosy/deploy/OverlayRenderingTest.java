package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each site overlay rendered by kustomize: what would be applied to that site's cluster. */
class OverlayRenderingTest {

  private static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();

  @BeforeAll
  static void renderEveryOverlay() throws IOException, InterruptedException {
    try (var overlays = Files.list(ProjectPaths.k8s().resolve("overlays"))) {
      for (Path overlay : overlays.sorted().toList()) {
        RENDERED.put(
            overlay.getFileName().toString(), YamlDocuments.parse(Kustomize.render(overlay)));
      }
    }
  }

  @Test
  void everyOverlayRendersToValidResources() {
    assertThat(RENDERED).containsOnlyKeys("site-a", "site-b");
    var validator = ManifestValidator.forSharedSchemas();
    List<String> problems = new ArrayList<>();
    RENDERED.forEach(
        (site, documents) ->
            documents.forEach(
                d ->
                    validator
                        .problems(d)
                        .forEach(p -> problems.add(site + " " + name(d) + ": " + p))));

    assertThat(problems).isEmpty();
    assertThat(RENDERED.get("site-a")).hasSize(22);
    assertThat(RENDERED.get("site-b")).hasSize(5);
  }

  @Test
  void everyResourceIsInTheArgosyNamespaceAndLabelledWithItsSite() {
    RENDERED.forEach(
        (site, documents) ->
            assertThat(documents)
                .allSatisfy(
                    d -> {
                      if (!kind(d).equals("Namespace")) {
                        assertThat(d.at("/metadata/namespace").asText()).isEqualTo("argosy");
                      }
                      assertThat(d.at("/metadata/labels/argosy.io~1site").asText()).isEqualTo(site);
                    }));
  }

  @Test
  void centralSiteHasKraftKafkaWithATopicForEveryTopicOfTheArchitecture() {
    List<JsonNode> siteA = RENDERED.get("site-a");
    JsonNode kafka = single(siteA, "Kafka");
    JsonNode pool = single(siteA, "KafkaNodePool");

    assertThat(kafka.at("/metadata/annotations/strimzi.io~1kraft").asText()).isEqualTo("enabled");
    assertThat(kafka.at("/metadata/annotations/strimzi.io~1node-pools").asText())
        .isEqualTo("enabled");
    assertThat(pool.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(name(kafka));
    assertThat(YamlDocuments.texts(pool.at("/spec/roles")))
        .containsExactlyInAnyOrder("controller", "broker");

    List<JsonNode> topics = ofKind(siteA, "KafkaTopic");
    assertThat(topics.stream().map(OverlayRenderingTest::name))
        .containsExactlyInAnyOrderElementsOf(architectureTopics());
    assertThat(topics)
        .allSatisfy(
            t -> {
              assertThat(t.at("/metadata/labels/strimzi.io~1cluster").asText())
                  .isEqualTo(name(kafka));
              assertThat(t.at("/spec/partitions").asInt()).isPositive();
              assertThat(t.at("/spec/replicas").asInt()).isEqualTo(3);
              assertThat(t.at("/spec/config/retention.ms").asLong()).isPositive();
            });
    Map<String, String> cleanup = new HashMap<>();
    topics.forEach(t -> cleanup.put(name(t), t.at("/spec/config/cleanup.policy").asText()));
    assertThat(cleanup)
        .containsEntry("flows", "delete")
        .containsEntry("flows-late", "delete")
        .containsEntry("flow-alerts", "delete")
        .containsEntry("flow-aggregates", "compact,delete")
        .containsEntry("flow-topn", "compact,delete");
  }

  @Test
  void jobsUseSavepointUpgradesDurableStateHaMetricsAndMountedDefinitions() {
    List<JsonNode> siteA = RENDERED.get("site-a");
    List<JsonNode> jobs = ofKind(siteA, "FlinkDeployment");
    String bootstrap = name(single(siteA, "Kafka")) + "-kafka-bootstrap.argosy.svc:9092";

    assertThat(jobs.stream().map(OverlayRenderingTest::name))
        .containsExactly("argosy-alerts", "argosy-reports");
    assertThat(jobs)
        .allSatisfy(
            job -> {
              JsonNode spec = job.path("spec");
              JsonNode conf = spec.path("flinkConfiguration");
              assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
              assertThat(spec.at("/job/entryClass").asText()).isEqualTo("org.argosy.cli.Argosy");
              assertThat(spec.path("image").asText()).isEqualTo("ghcr.io/argosy/flink-jobs:0.1.0");
              assertThat(conf.path("execution.checkpointing.dir").asText()).startsWith("s3://");
              assertThat(conf.path("execution.checkpointing.savepoint-dir").asText())
                  .startsWith("s3://");
              assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
              assertThat(conf.path("high-availability.storageDir").asText()).startsWith("s3://");
              assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                  .endsWith("PrometheusReporterFactory");
              assertThat(spec.at("/jobManager/resource/memory").asText()).isNotEmpty();
              assertThat(spec.at("/taskManager/resource/cpu").asDouble()).isPositive();
              List<String> args = YamlDocuments.texts(spec.at("/job/args"));
              assertThat(args).startsWith("jobs").containsSequence("--bootstrap", bootstrap);
              // the definition file a job reads is a key of a ConfigMap mounted at its folder
              String definitionFile = args.get(2);
              assertThat(mountedConfigMapKeys(siteA, spec.at("/podTemplate/spec")))
                  .contains(definitionFile);
            });
    assertThat(YamlDocuments.texts(single(jobs, "argosy-reports").at("/spec/job/args")))
        .containsSequence("--reports", "/opt/argosy/reports/daily-reports.yaml");
    assertThat(YamlDocuments.texts(single(jobs, "argosy-alerts").at("/spec/job/args")))
        .containsSequence("--alerts", "/opt/argosy/reports/alert-rules.yaml")
        .containsSequence("--group", "argosy-alerts");
  }

  @Test
  void sensorsCaptureOnTheHostWithOnlyRawAndAdminNetworkCapabilities() throws IOException {
    for (var site : List.of("site-a", "site-b")) {
      DaemonSet sensor =
          ManifestValidator.STRICT.treeToValue(
              single(RENDERED.get(site), "DaemonSet"), DaemonSet.class);
      var pod = sensor.getSpec().getTemplate().getSpec();
      Container container = pod.getContainers().get(0);
      var security = container.getSecurityContext();

      assertThat(pod.getHostNetwork()).isTrue();
      assertThat(pod.getContainers()).hasSize(1);
      assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(security.getCapabilities().getAdd())
          .containsExactlyInAnyOrder("NET_RAW", "NET_ADMIN");
      assertThat(security.getReadOnlyRootFilesystem()).isTrue();
      assertThat(security.getRunAsNonRoot()).isTrue();
      assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
      assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
      assertThat(pod.getNodeSelector()).containsEntry("argosy.io/site", site);
      assertThat(container.getImage()).isEqualTo("ghcr.io/argosy/sensor-agent:0.1.0");
      assertThat(container.getCommand()).containsExactly("argosy");
      assertThat(container.getArgs())
          .containsExactly(
              "sensor",
              "-i",
              "$(CAPTURE_INTERFACE)",
              "--kafka",
              "$(KAFKA_BOOTSTRAP)",
              "--topic",
              "flows",
              "--site",
              "$(ARGOSY_SITE)");
      assertThat(container.getEnvFrom())
          .singleElement()
          .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("argosy-site"));
    }
  }

  @Test
  void eachSiteNamesItselfAndReachesTheCentralKafka() throws IOException {
    Map<String, String> siteA = siteConfig("site-a");
    Map<String, String> siteB = siteConfig("site-b");
    String central = name(single(RENDERED.get("site-a"), "Kafka"));

    assertThat(siteA)
        .containsEntry("ARGOSY_SITE", "site-a")
        .containsEntry("KAFKA_BOOTSTRAP", central + "-kafka-bootstrap.argosy.svc:9092");
    // site B has no Kafka of its own: its sensors use the central cluster's external listener
    assertThat(siteB).containsEntry("ARGOSY_SITE", "site-b");
    assertThat(siteB.get("KAFKA_BOOTSTRAP")).endsWith(":9094");
    assertThat(ofKind(RENDERED.get("site-a"), "Kafka").get(0).at("/spec/kafka/listeners"))
        .anySatisfy(l -> assertThat(l.path("port").asInt()).isEqualTo(9094));
    assertThat(kinds("site-b"))
        .containsExactlyInAnyOrder(
            "Namespace", "ConfigMap", "ServiceAccount", "DaemonSet", "PodMonitor");
  }

  @Test
  void podMonitorsSelectPodsThatExposeTheScrapedPort() {
    List<JsonNode> siteA = RENDERED.get("site-a");
    JsonNode sensorMonitor = single(ofKind(siteA, "PodMonitor"), "argosy-sensor");
    JsonNode sensorPod = single(siteA, "DaemonSet").at("/spec/template");

    assertThat(ofKind(siteA, "PodMonitor")).hasSize(3);
    assertThat(mapOf(sensorPod.at("/metadata/labels")))
        .containsAllEntriesOf(mapOf(sensorMonitor.at("/spec/selector/matchLabels")));
    assertThat(portNames(sensorPod.at("/spec/containers")))
        .contains(sensorMonitor.at("/spec/podMetricsEndpoints/0/port").asText());
    JsonNode flinkMonitor = single(ofKind(siteA, "PodMonitor"), "argosy-flink");
    assertThat(ofKind(siteA, "FlinkDeployment"))
        .allSatisfy(
            job ->
                assertThat(portNames(job.at("/spec/podTemplate/spec/containers")))
                    .contains(flinkMonitor.at("/spec/podMetricsEndpoints/0/port").asText()));
  }

  /** The topic names of the architecture's topic table, e.g. `flows`, `flow-alerts-avro`. */
  private static Set<String> architectureTopics() {
    String architecture;
    try {
      architecture = Files.readString(ProjectPaths.shared().resolve("docs/architecture.md"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String section = architecture.substring(architecture.indexOf("## Topics"));
    section = section.substring(0, section.indexOf("\n## ", 1));
    Set<String> topics = new TreeSet<>();
    Matcher m = Pattern.compile("`(flows?(-[a-z]+)*)`").matcher(section);
    while (m.find()) {
      topics.add(m.group(1));
    }
    assertThat(topics).hasSizeGreaterThanOrEqualTo(7);
    return topics;
  }

  private Set<String> mountedConfigMapKeys(List<JsonNode> documents, JsonNode podSpec) {
    Map<String, String> volumeToConfigMap = new HashMap<>();
    podSpec
        .path("volumes")
        .forEach(
            v -> volumeToConfigMap.put(v.path("name").asText(), v.at("/configMap/name").asText()));
    Set<String> paths = new TreeSet<>();
    for (JsonNode mount : podSpec.at("/containers/0/volumeMounts")) {
      String configMap = volumeToConfigMap.get(mount.path("name").asText());
      single(ofKind(documents, "ConfigMap"), configMap)
          .path("data")
          .fieldNames()
          .forEachRemaining(key -> paths.add(mount.path("mountPath").asText() + "/" + key));
    }
    return paths;
  }

  private static Map<String, String> siteConfig(String site) throws IOException {
    JsonNode document = single(ofKind(RENDERED.get(site), "ConfigMap"), "argosy-site");
    return ManifestValidator.STRICT.treeToValue(document, ConfigMap.class).getData();
  }

  private static List<String> kinds(String site) {
    return RENDERED.get(site).stream().map(OverlayRenderingTest::kind).toList();
  }

  private static List<String> portNames(JsonNode containers) {
    List<String> names = new ArrayList<>();
    containers.forEach(c -> c.path("ports").forEach(p -> names.add(p.path("name").asText())));
    return names;
  }

  private static Map<String, String> mapOf(JsonNode object) {
    Map<String, String> map = new HashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
    return documents.stream().filter(d -> kind(d).equals(kind)).toList();
  }

  /** The one document of a kind, or (among documents of one kind) the one with this name. */
  private static JsonNode single(List<JsonNode> documents, String kindOrName) {
    List<JsonNode> matches =
        documents.stream()
            .filter(d -> kind(d).equals(kindOrName) || name(d).equals(kindOrName))
            .toList();
    assertThat(matches).as(kindOrName).hasSize(1);
    return matches.get(0);
  }

  private static String kind(JsonNode document) {
    return document.path("kind").asText();
  }

  private static String name(JsonNode document) {
    return document.at("/metadata/name").asText();
  }
}

package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.argosy.cli.Argosy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/**
 * The command lines the deployments run are ones the real {@code argosy} command accepts: parsed
 * (not run) by its picocli model, so a renamed option fails here rather than in a pod.
 */
class CommandLinesTest {

  private static final Pattern KUBERNETES_VARIABLE = Pattern.compile("\\$\\((\\w+)\\)");

  @Test
  void everySiteSensorCommandParsesWithTheSiteValues() throws Exception {
    for (String site : List.of("site-a", "site-b")) {
      List<JsonNode> rendered =
          YamlDocuments.parse(Kustomize.render(ProjectPaths.k8s().resolve("overlays/" + site)));
      JsonNode container = only(rendered, "DaemonSet").at("/spec/template/spec/containers/0");
      Map<String, String> env = new HashMap<>();
      only(rendered, "ConfigMap", "argosy-site")
          .path("data")
          .fields()
          .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      List<String> args = new ArrayList<>();
      for (JsonNode arg : container.path("args")) {
        args.add(expand(arg.asText(), env));
      }

      ParseResult sensor = parse(args).subcommand();
      assertThat(sensor.commandSpec().name()).isEqualTo("sensor");
      assertThat((String) sensor.matchedOptionValue("--site", null)).isEqualTo(site);
      assertThat((String) sensor.matchedOptionValue("--kafka", null))
          .isEqualTo(env.get("KAFKA_BOOTSTRAP"));
    }
  }

  @Test
  void composeSensorAndReportJobCommandsParse() {
    JsonNode services =
        YamlDocuments.parse(ProjectPaths.deploy().resolve("docker-compose.yml"))
            .get(0)
            .path("services");
    List<String> sensor =
        YamlDocuments.texts(services.at("/sensor/command")).stream()
            .map(a -> a.replaceAll("\\$\\{\\w+:-(\\w+)}", "$1"))
            .toList();
    List<String> job = YamlDocuments.texts(services.at("/jobmanager/command"));

    assertThat(parse(sensor).subcommand().commandSpec().name()).isEqualTo("sensor");
    // after "standalone-job --job-classname org.argosy.cli.Argosy"
    assertThat(parse(job.subList(3, job.size())).subcommand().commandSpec().name())
        .isEqualTo("jobs");
  }

  @Test
  void kubernetesReportJobArgumentsParse() throws IOException {
    JsonNode job =
        YamlDocuments.parse(ProjectPaths.k8s().resolve("base/flink/report-job.yaml")).get(0);

    ParseResult jobs = parse(YamlDocuments.texts(job.at("/spec/job/args"))).subcommand();
    assertThat(jobs.commandSpec().name()).isEqualTo("jobs");
    assertThat(jobs.matchedOptionValue("--reports", null).toString())
        .isEqualTo("/opt/argosy/reports/daily-reports.yaml");
  }

  @Test
  void kubernetesAlertJobArgumentsParse() throws IOException {
    JsonNode job =
        YamlDocuments.parse(ProjectPaths.k8s().resolve("base/flink/alert-job.yaml")).get(0);

    ParseResult jobs = parse(YamlDocuments.texts(job.at("/spec/job/args"))).subcommand();
    assertThat(jobs.commandSpec().name()).isEqualTo("jobs");
    assertThat(jobs.matchedOptionValue("--alerts", null).toString())
        .isEqualTo("/opt/argosy/reports/alert-rules.yaml");
    assertThat((String) jobs.matchedOptionValue("--group", null)).isEqualTo("argosy-alerts");
  }

  private static ParseResult parse(List<String> args) {
    return Argosy.commandLine().parseArgs(args.toArray(String[]::new));
  }

  /** Kubernetes' $(VAR) expansion of container arguments from the environment. */
  private static String expand(String arg, Map<String, String> env) {
    Matcher m = KUBERNETES_VARIABLE.matcher(arg);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      assertThat(env).containsKey(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(env.get(m.group(1))));
    }
    return m.appendTail(out).toString();
  }

  private static JsonNode only(List<JsonNode> documents, String kind, String... name) {
    List<JsonNode> matches =
        documents.stream()
            .filter(d -> d.path("kind").asText().equals(kind))
            .filter(d -> name.length == 0 || d.at("/metadata/name").asText().equals(name[0]))
            .toList();
    assertThat(matches).hasSize(1);
    return matches.get(0);
  }
}

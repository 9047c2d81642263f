package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Dockerfiles under deploy/, checked for structure (Docker itself cannot run here). */
class DockerfilesTest {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

  /** One instruction of a Dockerfile, continuation lines joined. */
  record Instruction(String keyword, String arguments) {}

  @Test
  void everyImageIsPinnedNonRootAndFetchesNothingByUrl() throws IOException {
    List<Path> dockerfiles = dockerfiles();

    assertThat(dockerfiles.stream().map(p -> ProjectPaths.deploy().relativize(p).toString()))
        .containsExactlyInAnyOrder("sensor-agent/Dockerfile", "flink-jobs/Dockerfile");
    for (Path dockerfile : dockerfiles) {
      List<Instruction> instructions = instructions(dockerfile);
      List<String> from = arguments(instructions, "FROM");
      List<String> user = arguments(instructions, "USER");

      assertThat(from).as(dockerfile + " FROM").isNotEmpty().allMatch(DockerfilesTest::isPinned);
      assertThat(user).as(dockerfile + " USER").isNotEmpty();
      assertThat(user.get(user.size() - 1)).isNotIn("root", "0", "0:0");
      assertThat(arguments(instructions, "ADD")).as(dockerfile + " ADD").isEmpty();
    }
  }

  @Test
  void everyCopiedFileIsInTheRepositoryOrAMavenBuildOutput() throws IOException {
    for (Path dockerfile : dockerfiles()) {
      List<Instruction> instructions = instructions(dockerfile);
      Map<String, String> args = new HashMap<>();
      for (String arg : arguments(instructions, "ARG")) {
        String[] nameValue = arg.split("=", 2);
        args.put(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
      }
      for (String copy : arguments(instructions, "COPY")) {
        List<String> words =
            Stream.of(copy.split("\\s+")).filter(w -> !w.startsWith("--")).toList();
        for (String source : words.subList(0, words.size() - 1)) {
          String resolved = substitute(source, args);
          if (resolved.contains("/target/")) {
            // built by `mvn package` before `docker build` (deploy/README.md)
            assertThat(resolved).matches("[a-z-]+/target/[a-z-]+\\.jar");
          } else {
            assertThat(ProjectPaths.root().resolve(resolved)).as(dockerfile + " COPY").exists();
          }
        }
      }
    }
  }

  @Test
  void sensorImageGrantsOnlyTheCaptureCapabilities() throws IOException {
    List<Instruction> instructions =
        instructions(ProjectPaths.deploy().resolve("sensor-agent/Dockerfile"));
    List<String> setcap =
        arguments(instructions, "RUN").stream().filter(r -> r.contains("setcap")).toList();

    assertThat(setcap)
        .singleElement()
        .asString()
        .contains("setcap cap_net_raw,cap_net_admin+ep ")
        // and drops every setuid/setgid bit, so nothing else can raise privileges
        .contains("-perm /6000");
    assertThat(arguments(instructions, "RUN")).anyMatch(r -> r.contains("libpcap0.8"));
    assertThat(arguments(instructions, "ENTRYPOINT")).containsExactly("[\"argosy\"]");
  }

  private static boolean isPinned(String image) {
    String name = image.split("\\s+")[0];
    if (name.contains("@sha256:")) {
      return true;
    }
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/')
        && !name.endsWith(":latest")
        && name.substring(colon + 1).matches(".*\\d.*");
  }

  private static String substitute(String text, Map<String, String> args) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      assertThat(args).as("ARG " + m.group(1)).containsKey(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(args.get(m.group(1))));
    }
    return m.appendTail(out).toString();
  }

  private static List<String> arguments(List<Instruction> instructions, String keyword) {
    return instructions.stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::arguments)
        .toList();
  }

  static List<Instruction> instructions(Path dockerfile) throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(dockerfile)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String[] parts = current.toString().strip().split("\\s+", 2);
      instructions.add(
          new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
      current.setLength(0);
    }
    return instructions;
  }

  private static List<Path> dockerfiles() throws IOException {
    try (Stream<Path> files = Files.walk(ProjectPaths.deploy())) {
      return files.filter(p -> p.getFileName().toString().equals("Dockerfile")).sorted().toList();
    }
  }
}

package org.argosy.kafka.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;

/** Decides whether a Docker engine is reachable, without noise when there plainly is none. */
final class Docker {

  private Docker() {}

  static boolean isAvailable() {
    return anyDockerHint() && DockerClientFactory.instance().isDockerAvailable();
  }

  /**
   * Testcontainers' probe logs an ERROR listing every strategy it tried when it finds no engine,
   * which would alarm every `argosy demo` user without Docker. So it only runs when there is some
   * sign of an engine: its environment variables, its config file, Windows (named pipes), or a
   * socket where Docker, rootless Docker or Docker Desktop put theirs.
   */
  private static boolean anyDockerHint() {
    if (System.getenv("DOCKER_HOST") != null
        || System.getenv("TESTCONTAINERS_HOST_OVERRIDE") != null
        || System.getProperty("os.name", "").startsWith("Windows")) {
      return true;
    }
    Path home = Path.of(System.getProperty("user.home"));
    List<Path> candidates =
        new ArrayList<>(
            List.of(
                Path.of("/var/run/docker.sock"),
                home.resolve(".testcontainers.properties"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock")));
    String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
    if (runtimeDir != null) {
      candidates.add(Path.of(runtimeDir, "docker.sock"));
    }
    return candidates.stream().anyMatch(Files::exists);
  }
}

package org.argosy.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real kustomize: the standalone {@code kustomize} binary when it
 * is on the PATH, else the one built into {@code kubectl} ({@code kubectl kustomize}).
 */
final class Kustomize {

  private Kustomize() {}

  static String render(Path kustomization) throws IOException, InterruptedException {
    List<String> command =
        onPath("kustomize")
            ? List.of("kustomize", "build", kustomization.toString())
            : List.of("kubectl", "kustomize", kustomization.toString());
    if (!onPath(command.get(0))) {
      throw new IllegalStateException(
          "neither kustomize nor kubectl is on the PATH: install kubectl (it has kustomize built"
              + " in) to render the overlays");
    }
    Path errors = Files.createTempFile("kustomize", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectError(errors.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + Files.readString(errors));
      }
      return output;
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}

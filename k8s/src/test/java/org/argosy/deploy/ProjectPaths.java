package org.argosy.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's and the shared folder's files are, for tests run by Maven. */
final class ProjectPaths {

  private ProjectPaths() {}

  /** The repository root, set by the parent pom's Surefire and Failsafe configuration. */
  static Path root() {
    String root = System.getProperty("argosy.project.root");
    if (root == null) {
      throw new IllegalStateException("system property argosy.project.root is not set");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  static Path k8s() {
    return root().resolve("k8s");
  }

  static Path deploy() {
    return root().resolve("deploy");
  }

  /** The shared folder beside the repository (schemas and design documents, not copied in). */
  static Path shared() {
    Path shared = root().resolveSibling("shared");
    if (!Files.isDirectory(shared)) {
      throw new IllegalStateException("the shared folder is missing beside the project: " + shared);
    }
    return shared;
  }
}

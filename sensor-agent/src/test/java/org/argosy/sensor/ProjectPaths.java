package org.argosy.sensor;

import java.nio.file.Path;

/** Where the tests find the project's files: the build passes the root as a system property. */
public final class ProjectPaths {

  private ProjectPaths() {}

  /** The repository root (samples/, reports/); ../shared sits beside it. */
  public static Path root() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }
}

package org.argosy.cli;

import picocli.CommandLine;

/** The version from the jar manifest, or "development" when run from classes. */
final class ArgosyVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Argosy.class.getPackage().getImplementationVersion();
    return new String[] {"argosy " + (version == null ? "development build" : version)};
  }
}

package org.argosy.sensor.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the libpcap shared library before pcap4j's JNA binding loads it. Debian's runtime package
 * ships only {@code libpcap.so.0.8}, not the unversioned name JNA asks for, so the found file is
 * handed to pcap4j by path; when none exists the error says what to install instead of a JNA stack
 * trace.
 */
public final class Libpcap {

  /** pcap4j's system property naming the library to load. */
  static final String PCAP4J_LIBRARY_PROPERTY = "org.pcap4j.core.pcapLibName";

  private static final List<String> LIBRARY_DIRECTORIES =
      List.of(
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib/aarch64-linux-gnu",
          "/lib/x86_64-linux-gnu",
          "/lib/aarch64-linux-gnu",
          "/usr/lib64",
          "/usr/lib",
          "/usr/local/lib");
  private static final List<String> LIBRARY_NAMES =
      List.of("libpcap.so", "libpcap.so.1", "libpcap.so.0.8");

  private Libpcap() {}

  /** Thrown when no libpcap is installed; the message is meant for the operator. */
  public static final class MissingLibpcapException extends RuntimeException {
    MissingLibpcapException(String message) {
      super(message);
    }
  }

  /**
   * Points pcap4j at the installed libpcap unless the property is already set.
   *
   * @throws MissingLibpcapException when libpcap is not installed
   */
  public static synchronized void ensureLoadable() {
    if (System.getProperty(PCAP4J_LIBRARY_PROPERTY) != null) {
      return;
    }
    for (String directory : LIBRARY_DIRECTORIES) {
      for (String name : LIBRARY_NAMES) {
        Path candidate = Path.of(directory, name);
        if (Files.isReadable(candidate)) {
          System.setProperty(PCAP4J_LIBRARY_PROPERTY, candidate.toString());
          return;
        }
      }
    }
    throw new MissingLibpcapException(
        "libpcap is not installed (looked for "
            + String.join(", ", LIBRARY_NAMES)
            + " in "
            + String.join(", ", LIBRARY_DIRECTORIES)
            + "). On Debian or Ubuntu install it with: sudo apt-get install libpcap0.8"
            + " ; on Fedora/RHEL: sudo dnf install libpcap");
  }
}

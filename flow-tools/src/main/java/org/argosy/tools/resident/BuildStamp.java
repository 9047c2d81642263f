package org.argosy.tools.resident;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modification times of the files a process was built from (the jars on its class path) when it
 * started. A rebuild replaces them; the resident process then runs older code than a command
 * started now would, and stops rather than answer with it.
 */
final class BuildStamp {

  private final Map<File, Long> modified = new LinkedHashMap<>();

  BuildStamp(List<File> files) {
    for (File file : files) {
      modified.put(file, file.lastModified());
    }
  }

  /** The jars on this JVM's class path. */
  static List<File> classPathJars() {
    List<File> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      File file = new File(entry);
      if (file.isFile()) {
        jars.add(file);
      }
    }
    return jars;
  }

  /** The first file replaced or removed since the stamp, or null. */
  File changed() {
    for (Map.Entry<File, Long> file : modified.entrySet()) {
      if (file.getKey().lastModified() != file.getValue()) {
        return file.getKey();
      }
    }
    return null;
  }
}

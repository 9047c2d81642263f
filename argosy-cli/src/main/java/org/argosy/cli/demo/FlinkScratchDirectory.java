package org.argosy.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One directory for everything a local Flink cluster writes to disk (the RPC system jar it
 * extracts, blobs, web uploads), named after this process. A cluster stopped by SIGKILL leaves its
 * files behind; the next run removes the directories of processes that no longer exist.
 */
public final class FlinkScratchDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(FlinkScratchDirectory.class);
  private static final Path PARENT = Path.of(System.getProperty("java.io.tmpdir"), "argosy-flink");

  private FlinkScratchDirectory() {}

  /**
   * Points {@code conf} at this process's directory, created empty, removed at JVM exit.
   *
   * @return the directory
   */
  public static Path apply(Configuration conf) {
    removeDirectoriesOfDeadProcesses();
    Path own = PARENT.resolve(Long.toString(ProcessHandle.current().pid()));
    try {
      deleteRecursively(own);
      Files.createDirectories(own);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Flink scratch directory " + own, e);
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> deleteQuietly(own), "flink-scratch-cleanup"));
    conf.set(CoreOptions.TMP_DIRS, own.toString());
    conf.set(BlobServerOptions.STORAGE_DIRECTORY, own.resolve("blobs").toString());
    conf.set(WebOptions.TMP_DIR, own.resolve("web").toString());
    conf.set(WebOptions.UPLOAD_DIR, own.resolve("web-upload").toString());
    return own;
  }

  private static void removeDirectoriesOfDeadProcesses() {
    if (!Files.isDirectory(PARENT)) {
      return;
    }
    try (Stream<Path> children = Files.list(PARENT)) {
      children
          .filter(dir -> dir.getFileName().toString().matches("\\d+"))
          .filter(dir -> ProcessHandle.of(Long.parseLong(dir.getFileName().toString())).isEmpty())
          .forEach(
              dir -> {
                LOG.info("removing files of a Flink cluster that was not shut down: {}", dir);
                deleteQuietly(dir);
              });
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", PARENT, e.toString());
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteRecursively(dir);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.toString());
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}

package org.argosy.cli.sensor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One sensor process per spool directory. Two sensors started with the same sensor id and spool
 * directory would hand out the same sequence numbers and cut each other's spool segments on
 * recovery; the second one is refused instead. An OS file lock: released when the process ends,
 * however it ends.
 */
final class SpoolLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private SpoolLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code directory} (created if needed) for this process.
   *
   * @throws IllegalStateException when another sensor holds it
   */
  static SpoolLock acquire(Path directory) throws IOException {
    Files.createDirectories(directory);
    FileChannel channel =
        FileChannel.open(
            directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this JVM
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "spool directory "
              + directory
              + " is in use by another sensor process; give each sensor its own --sensor-id"
              + " or --spool-dir");
    }
    return new SpoolLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}

package org.argosy.sensor.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.argosy.sensor.flow.SequenceNumbers;

/**
 * Sequence numbers that continue across restarts and crashes of a sensor. Numbers are reserved in
 * blocks: before the first number of a block is used, the start of the next block is written to a
 * file and forced to disk. A restart continues from that file, so a number is never handed out
 * twice; a crash costs at most the unused rest of one block, which consumers see as a gap.
 */
public final class PersistentSequence implements SequenceNumbers {

  static final long BLOCK = 10_000;

  private final Path file;
  private long next;
  private long reservedUpTo;

  /** Continues the sequence kept in {@code file} (created, starting at 0, when absent). */
  public PersistentSequence(Path file) {
    this.file = file;
    this.next = read(file);
    this.reservedUpTo = next;
  }

  @Override
  public synchronized long next() {
    if (next >= reservedUpTo) {
      reservedUpTo = next + BLOCK;
      write(reservedUpTo);
    }
    return next++;
  }

  private static long read(Path file) {
    if (!Files.exists(file)) {
      return 0;
    }
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return Long.parseLong(text);
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException(
          "sequence file "
              + file
              + " is unreadable; delete it only if no consumer relies on"
              + " continuous sequence numbers from this sensor",
          e);
    }
  }

  /** Writes a new file next to the old one, forces it, then renames it over the old one. */
  private void write(long value) {
    Path temporary = file.resolveSibling(file.getFileName() + ".next");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reserve sequence numbers in " + file, e);
    }
  }
}

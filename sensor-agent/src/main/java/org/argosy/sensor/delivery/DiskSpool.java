package org.argosy.sensor.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records that could not go to Kafka yet, kept on disk in order as segment files {@code
 * 00000000000000000001.spool}, ... Each record is framed as {@code [length u32][crc32c u32][key
 * length u16][key][value]}; a torn write at the end of a segment (a crash mid-append) fails its
 * length or checksum and is cut off when the spool is opened again, so what was whole survives.
 * Appends stop at a size cap: then the caller drops and counts. Thread-safe.
 */
public final class DiskSpool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
  private static final String SUFFIX = ".spool";
  private static final int FRAME_HEADER = 8;
  private static final int TIMESTAMP = 8;
  private static final int KEY_LENGTH = 2;

  /** Bytes of a frame's body before the key. */
  private static final int BODY_HEADER = TIMESTAMP + KEY_LENGTH;

  /** No record of this project comes near it; a larger length is a torn or corrupt frame. */
  static final int MAX_RECORD_BYTES = 16 << 20;

  private final Path directory;
  private final long maxBytes;
  private final long segmentBytes;
  private final FsyncPolicy fsync;
  private final Deque<Path> sealed = new ArrayDeque<>();
  private long totalBytes;

  /** New segments count up from here, leaving room below for {@link #prepend}. */
  static final long FIRST_SEGMENT_NUMBER = 1L << 40;

  private long nextSegmentNumber = FIRST_SEGMENT_NUMBER;
  private FileChannel open;
  private Path openPath;
  private long openBytes;

  /**
   * Opens the spool in {@code directory}, recovering the segments a previous run left there.
   *
   * @param maxBytes size cap of all segments together
   * @param segmentBytes size at which a segment is sealed and a new one begun
   */
  public DiskSpool(Path directory, long maxBytes, long segmentBytes, FsyncPolicy fsync) {
    if (segmentBytes < 1024 || maxBytes < segmentBytes) {
      throw new IllegalArgumentException(
          "spool needs segmentBytes >= 1024 and maxBytes >= segmentBytes, got "
              + segmentBytes
              + " and "
              + maxBytes);
    }
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.fsync = fsync;
    try {
      Files.createDirectories(directory);
      recover();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open spool " + directory, e);
    }
  }

  private void recover() throws IOException {
    List<Path> segments;
    try (Stream<Path> files = Files.list(directory)) {
      segments =
          files
              .filter(p -> p.getFileName().toString().matches("\\d{20}\\" + SUFFIX))
              .sorted()
              .toList();
    }
    for (Path segment : segments) {
      long whole = wholeLength(segment);
      if (whole < Files.size(segment)) {
        LOG.warn(
            "spool segment {}: cut {} bytes of a torn record at offset {}",
            segment,
            Files.size(segment) - whole,
            whole);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
          channel.truncate(whole);
        }
      }
      if (whole == 0) {
        Files.delete(segment);
        continue;
      }
      sealed.addLast(segment);
      totalBytes += whole;
      nextSegmentNumber = Math.max(nextSegmentNumber, segmentNumber(segment) + 1);
    }
    if (!sealed.isEmpty()) {
      LOG.info(
          "spool {} holds {} bytes in {} segments from an earlier run",
          directory,
          totalBytes,
          sealed.size());
    }
  }

  /** Length of the prefix of whole, checksummed records. */
  private static long wholeLength(Path segment) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
    int position = 0;
    while (frameAt(bytes, position) != null) {
      position += FRAME_HEADER + bytes.getInt(position);
    }
    return position;
  }

  /** The record framed at {@code position}, or null if none is whole there. */
  private static SpoolRecord frameAt(ByteBuffer bytes, int position) {
    if (bytes.limit() - position < FRAME_HEADER) {
      return null;
    }
    int length = bytes.getInt(position);
    if (length < BODY_HEADER
        || length > MAX_RECORD_BYTES
        || bytes.limit() - position - FRAME_HEADER < length) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes.array(), position + FRAME_HEADER, length);
    if ((int) crc.getValue() != bytes.getInt(position + 4)) {
      return null;
    }
    long timestamp = bytes.getLong(position + FRAME_HEADER);
    int keyLength = Short.toUnsignedInt(bytes.getShort(position + FRAME_HEADER + TIMESTAMP));
    if (keyLength > length - BODY_HEADER) {
      return null;
    }
    int keyStart = position + FRAME_HEADER + BODY_HEADER;
    byte[] key = new byte[keyLength];
    byte[] value = new byte[length - BODY_HEADER - keyLength];
    bytes.get(keyStart, key);
    bytes.get(keyStart + keyLength, value);
    return new SpoolRecord(timestamp, key, value);
  }

  /**
   * Appends a record after all earlier ones.
   *
   * @return false when the spool is full (the record is not stored)
   */
  public synchronized boolean append(SpoolRecord record) {
    int length = BODY_HEADER + record.key().length + record.value().length;
    if (totalBytes + FRAME_HEADER + length > maxBytes) {
      return false;
    }
    ByteBuffer frame = frame(record);
    try {
      if (open == null) {
        openPath = directory.resolve(String.format("%020d%s", nextSegmentNumber++, SUFFIX));
        open = FileChannel.open(openPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        openBytes = 0;
      }
      while (frame.hasRemaining()) {
        open.write(frame);
      }
      if (fsync == FsyncPolicy.ALWAYS) {
        open.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to spool segment " + openPath, e);
    }
    openBytes += FRAME_HEADER + length;
    totalBytes += FRAME_HEADER + length;
    if (openBytes >= segmentBytes) {
      seal();
    }
    return true;
  }

  private static ByteBuffer frame(SpoolRecord record) {
    int length = BODY_HEADER + record.key().length + record.value().length;
    if (record.key().length > 0xFFFF || length > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("record of " + length + " bytes is too large to spool");
    }
    ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER + length);
    frame
        .putInt(length)
        .putInt(0)
        .putLong(record.timestamp())
        .putShort((short) record.key().length);
    frame.put(record.key()).put(record.value());
    CRC32C crc = new CRC32C();
    crc.update(frame.array(), FRAME_HEADER, length);
    return frame.putInt(4, (int) crc.getValue()).flip();
  }

  private void seal() {
    if (open == null) {
      return;
    }
    try {
      if (fsync != FsyncPolicy.NEVER) {
        open.force(false);
      }
      open.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close spool segment " + openPath, e);
    }
    sealed.addLast(openPath);
    open = null;
  }

  /**
   * Stores records that come before everything already spooled (those a closing sender still held
   * in memory), as a segment numbered before the oldest.
   */
  public synchronized void prepend(List<SpoolRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    long number = sealed.isEmpty() && open == null ? nextSegmentNumber++ : oldestNumber() - 1;
    if (number < 0) {
      throw new IllegalStateException("spool segment numbers exhausted in " + directory);
    }
    Path path = directory.resolve(String.format("%020d%s", number, SUFFIX));
    long written = 0;
    try (FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (SpoolRecord record : records) {
        ByteBuffer frame = frame(record);
        written += frame.remaining();
        while (frame.hasRemaining()) {
          channel.write(frame);
        }
      }
      if (fsync != FsyncPolicy.NEVER) {
        channel.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write spool segment " + path, e);
    }
    sealed.addFirst(path);
    totalBytes += written;
  }

  private long oldestNumber() {
    return segmentNumber(sealed.isEmpty() ? openPath : sealed.peekFirst());
  }

  /** Whether any record is spooled. */
  public synchronized boolean isEmpty() {
    return totalBytes == 0;
  }

  /** Bytes held on disk. */
  public synchronized long bytes() {
    return totalBytes;
  }

  /**
   * The oldest segment's records, in order, sealing the open segment if it is the only one; null
   * when the spool is empty. The segment stays on disk until {@link #release}.
   */
  public synchronized Segment oldest() {
    if (sealed.isEmpty()) {
      seal();
    }
    Path path = sealed.peekFirst();
    if (path == null) {
      return null;
    }
    try {
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path));
      List<SpoolRecord> records = new ArrayList<>();
      for (int position = 0; ; ) {
        SpoolRecord record = frameAt(bytes, position);
        if (record == null) {
          break;
        }
        records.add(record);
        position += FRAME_HEADER + bytes.getInt(position);
      }
      return new Segment(path, bytes.limit(), records);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spool segment " + path, e);
    }
  }

  /** Deletes a segment returned by {@link #oldest} once every record of it is stored elsewhere. */
  public synchronized void release(Segment segment) {
    if (!sealed.remove(segment.path())) {
      throw new IllegalStateException("not a spooled segment: " + segment.path());
    }
    try {
      Files.delete(segment.path());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete spool segment " + segment.path(), e);
    }
    totalBytes -= segment.bytes();
  }

  @Override
  public synchronized void close() {
    seal();
  }

  private static long segmentNumber(Path segment) {
    String name = segment.getFileName().toString();
    return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
  }

  /** A sealed segment being replayed. */
  public record Segment(Path path, long bytes, List<SpoolRecord> records) {}
}

package org.argosy.sensor.capture;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.argosy.sensor.decode.LinkType;

/**
 * Reads classic pcap files in pure Java from memory-mapped windows of the file: no native call and
 * no allocation per packet, each frame is copied into one reused buffer. Faster than libpcap
 * through pcap4j for files (see BENCHMARKS.md); {@link MappedPcapngReader} reads pcapng the same
 * way, live capture stays with pcap4j. A record whose sub-second field is out of range is still
 * read, at its whole second: a corrupt field must not move a packet far in time (Argus reads such
 * records too, where libpcap through pcap4j loses them).
 */
public final class MappedPcapReader {

  // global header
  static final int MAGIC = 0;
  static final int LINK_TYPE = 20;
  static final int GLOBAL_HEADER = 24;
  // record header
  static final int TS_SECONDS = 0;
  static final int TS_FRACTION = 4;
  static final int CAPTURED_LENGTH = 8;
  static final int WIRE_LENGTH = 12;
  static final int RECORD_HEADER = 16;

  /** The link type's low 26 bits; the upper ones may carry FCS information. */
  static final int LINK_TYPE_MASK = 0x03FF_FFFF;

  static final int MAGIC_MICROS = 0xA1B2C3D4;
  static final int MAGIC_NANOS = 0xA1B23C4D;

  /** libpcap's largest accepted record (MAXIMUM_SNAPLEN); anything longer is a corrupt header. */
  static final int MAX_CAPTURED_LENGTH = 262_144;

  /** Mapped at most this much at a time, so files of any size read with bounded address space. */
  private static final long WINDOW = 1L << 30;

  private MappedPcapReader() {}

  /** Whether {@code magic} (the first four bytes, read big-endian) opens a classic pcap file. */
  static boolean isClassicPcap(int magic) {
    return magic == MAGIC_MICROS
        || magic == MAGIC_NANOS
        || Integer.reverseBytes(magic) == MAGIC_MICROS
        || Integer.reverseBytes(magic) == MAGIC_NANOS;
  }

  /**
   * Reads every record of {@code file} into {@code handler}.
   *
   * @param stop polled before each packet; true ends the read early
   * @return the number of packets handed over
   * @throws PcapFileReader.CaptureFileException for a file that is not classic pcap, or that breaks
   *     off or turns corrupt (what was read before stays delivered)
   */
  static long read(
      Path file, Consumer<LinkType> linkTypeListener, PacketHandler handler, BooleanSupplier stop)
      throws PcapFileReader.CaptureFileException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < GLOBAL_HEADER) {
        throw new PcapFileReader.CaptureFileException(
            "capture file " + file + " is shorter than a pcap header (" + size + " bytes)", null);
      }
      MappedByteBuffer window = map(channel, 0, size);
      int magic = window.order(ByteOrder.BIG_ENDIAN).getInt(MAGIC);
      ByteOrder order =
          magic == MAGIC_MICROS || magic == MAGIC_NANOS
              ? ByteOrder.BIG_ENDIAN
              : ByteOrder.LITTLE_ENDIAN;
      window.order(order);
      boolean nanos = window.getInt(MAGIC) == MAGIC_NANOS;
      linkTypeListener.accept(LinkType.fromDlt(window.getInt(LINK_TYPE) & LINK_TYPE_MASK));

      byte[] frame = new byte[MAX_CAPTURED_LENGTH];
      long windowStart = 0;
      long position = GLOBAL_HEADER;
      long packets = 0;
      while (position < size && !stop.getAsBoolean()) {
        if (size - position < RECORD_HEADER) {
          throw truncated(file, position, packets);
        }
        if (position + RECORD_HEADER + MAX_CAPTURED_LENGTH > windowStart + window.limit()
            && windowStart + window.limit() < size) {
          windowStart = position;
          window = map(channel, windowStart, size - windowStart);
          window.order(order);
        }
        int at = (int) (position - windowStart);
        long seconds = window.getInt(at + TS_SECONDS) & 0xFFFF_FFFFL;
        long fraction = window.getInt(at + TS_FRACTION) & 0xFFFF_FFFFL;
        int captured = window.getInt(at + CAPTURED_LENGTH);
        int wire = window.getInt(at + WIRE_LENGTH);
        if (captured < 0 || captured > MAX_CAPTURED_LENGTH) {
          throw new PcapFileReader.CaptureFileException(
              "corrupt record header in capture file "
                  + file
                  + " at byte offset "
                  + position
                  + " after packet "
                  + packets
                  + ": captured length "
                  + Integer.toUnsignedString(captured),
              null);
        }
        if (size - position - RECORD_HEADER < captured) {
          throw truncated(file, position, packets);
        }
        window.get(at + RECORD_HEADER, frame, 0, captured);
        long fractionLimit = nanos ? 1_000_000_000L : 1_000_000L;
        long fractionMicros = fraction >= fractionLimit ? 0 : nanos ? fraction / 1000 : fraction;
        long micros = seconds * 1_000_000L + fractionMicros;
        // a wire length beyond 2^31 is corrupt; the captured length is then all we know
        handler.onPacket(frame, captured, wire < 0 ? captured : wire, micros);
        packets++;
        position += RECORD_HEADER + captured;
      }
      return packets;
    } catch (IOException e) {
      throw new PcapFileReader.CaptureFileException(
          "cannot read capture file " + file + ": " + e.getMessage(), e);
    }
  }

  static MappedByteBuffer map(FileChannel channel, long from, long remaining) throws IOException {
    return channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(remaining, WINDOW));
  }

  /** The record at byte {@code position} is cut off by the end of the file. */
  private static PcapFileReader.CaptureFileException truncated(
      Path file, long position, long packets) {
    return new PcapFileReader.CaptureFileException(
        "capture file "
            + file
            + " breaks off in the record at byte offset "
            + position
            + " after packet "
            + packets,
        null);
  }
}

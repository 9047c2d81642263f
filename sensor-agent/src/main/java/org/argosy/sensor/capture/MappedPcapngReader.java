package org.argosy.sensor.capture;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.argosy.sensor.decode.LinkType;

/**
 * Reads pcapng files in pure Java from memory-mapped windows of the file, like {@link
 * MappedPcapReader} for classic pcap: Section Header blocks (either byte order, any number of
 * sections), Interface Description blocks (link type, snaplen, {@code if_tsresol} and {@code
 * if_tsoffset} per interface), Enhanced, Simple and (obsolete) Packet blocks; other blocks are
 * skipped. A Simple Packet block has no timestamp: it takes the previous packet's. Every field is
 * read only after checking that it lies inside its block and the block inside the file; a corrupt
 * block is a {@link PcapFileReader.CaptureFileException} naming the file and the block's offset,
 * after the packets before it were delivered.
 */
final class MappedPcapngReader {

  static final int SECTION_HEADER_BLOCK = 0x0A0D0D0A;
  static final int INTERFACE_DESCRIPTION_BLOCK = 1;
  static final int PACKET_BLOCK = 2;
  static final int SIMPLE_PACKET_BLOCK = 3;
  static final int ENHANCED_PACKET_BLOCK = 6;
  static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

  // every block: type, total length, body, total length again
  static final int BLOCK_TYPE = 0;
  static final int BLOCK_LENGTH = 4;
  static final int BLOCK_BODY = 8;
  static final int BLOCK_TRAILER = 4;
  static final int MIN_BLOCK = BLOCK_BODY + BLOCK_TRAILER;
  // Section Header block body
  static final int SHB_BYTE_ORDER_MAGIC = 8;
  static final int SHB_MAJOR_VERSION = 12;
  static final int SHB_OPTIONS = 24;
  static final int SUPPORTED_MAJOR_VERSION = 1;
  // Interface Description block body
  static final int IDB_LINK_TYPE = 8;
  static final int IDB_SNAPLEN = 12;
  static final int IDB_OPTIONS = 16;
  // Enhanced Packet block body
  static final int EPB_INTERFACE = 8;
  static final int EPB_TIMESTAMP_HIGH = 12;
  static final int EPB_TIMESTAMP_LOW = 16;
  static final int EPB_CAPTURED_LENGTH = 20;
  static final int EPB_ORIGINAL_LENGTH = 24;
  static final int EPB_DATA = 28;
  // obsolete Packet block body: a 16-bit interface id and a drops count, then as the EPB
  static final int PB_INTERFACE = 8;
  // Simple Packet block body
  static final int SPB_ORIGINAL_LENGTH = 8;
  static final int SPB_DATA = 12;
  // options: code, length, value padded to 32 bits
  static final int OPTION_CODE = 0;
  static final int OPTION_LENGTH = 2;
  static final int OPTION_VALUE = 4;
  static final int OPT_END_OF_OPTIONS = 0;
  static final int IF_TSRESOL = 9;
  static final int IF_TSOFFSET = 14;

  /** Microseconds, the resolution of an interface without {@code if_tsresol}. */
  static final int DEFAULT_TSRESOL = 6;

  static final int TSRESOL_BINARY = 0x80;
  private static final int MAX_DECIMAL_EXPONENT = 18;
  private static final int MAX_BINARY_EXPONENT = 63;

  /** The largest block parsed (others are skipped unread): a packet of libpcap's maximum size. */
  static final int MAX_PARSED_BLOCK = EPB_DATA + MappedPcapReader.MAX_CAPTURED_LENGTH + (1 << 16);

  private static final long MICROS_PER_SECOND = 1_000_000L;

  private final Path file;
  private final FileChannel channel;
  private final long size;
  private MappedByteBuffer window;
  private long windowStart;
  private ByteOrder order = ByteOrder.BIG_ENDIAN;

  // the interfaces of the current section, by id
  private LinkType[] linkTypes = new LinkType[4];
  private int[] snaplens = new int[4];
  private int[] tsresols = new int[4];
  private long[] tsoffsets = new long[4];
  private int interfaces;

  // what the last packet block said besides its bytes
  private int lastInterface;
  private int lastWireLength;
  private long lastMicros;

  private MappedPcapngReader(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    this.size = channel.size();
    this.window = MappedPcapReader.map(channel, 0, size);
  }

  /**
   * Reads every packet of {@code file} into {@code handler}.
   *
   * @param linkTypeListener told the link type before the first packet, and again before a packet
   *     of an interface whose link type differs from the previous packet's
   * @param stop polled before each block; true ends the read early
   * @return the number of packets handed over
   */
  static long read(
      Path file, Consumer<LinkType> linkTypeListener, PacketHandler handler, BooleanSupplier stop)
      throws PcapFileReader.CaptureFileException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return new MappedPcapngReader(file, channel).readBlocks(linkTypeListener, handler, stop);
    } catch (IOException e) {
      throw new PcapFileReader.CaptureFileException(
          "cannot read capture file " + file + ": " + e.getMessage(), e);
    }
  }

  private long readBlocks(
      Consumer<LinkType> linkTypeListener, PacketHandler handler, BooleanSupplier stop)
      throws IOException, PcapFileReader.CaptureFileException {
    byte[] frame = new byte[MappedPcapReader.MAX_CAPTURED_LENGTH];
    LinkType announced = null;
    long packets = 0;
    long position = 0;
    boolean inSection = false;
    while (position < size && !stop.getAsBoolean()) {
      if (size - position < MIN_BLOCK) {
        throw corrupt(position, "the file ends inside a block header");
      }
      ensureMapped(position, MIN_BLOCK);
      int type = window.getInt(at(position) + BLOCK_TYPE);
      if (type == SECTION_HEADER_BLOCK) {
        startSection(position);
        inSection = true;
      } else if (!inSection) {
        throw corrupt(position, "the file does not start with a section header block");
      }
      long length = window.getInt(at(position) + BLOCK_LENGTH) & 0xFFFF_FFFFL;
      if (length < MIN_BLOCK || length % 4 != 0 || length > size - position) {
        throw corrupt(position, "block length " + length + " is invalid or beyond the file");
      }
      boolean parsed =
          type == SECTION_HEADER_BLOCK
              || type == INTERFACE_DESCRIPTION_BLOCK
              || type == ENHANCED_PACKET_BLOCK
              || type == SIMPLE_PACKET_BLOCK
              || type == PACKET_BLOCK;
      if (parsed) {
        if (length > MAX_PARSED_BLOCK) {
          throw corrupt(position, "block length " + length + " exceeds " + MAX_PARSED_BLOCK);
        }
        ensureMapped(position, (int) length);
        int block = at(position);
        int blockLength = (int) length;
        if (window.getInt(block + blockLength - BLOCK_TRAILER) != blockLength) {
          throw corrupt(position, "the trailing block length differs from the leading one");
        }
        if (type == INTERFACE_DESCRIPTION_BLOCK) {
          addInterface(position, block, blockLength);
        } else if (type != SECTION_HEADER_BLOCK) {
          int captured = packet(position, type, block, blockLength, frame);
          LinkType linkType = linkTypes[lastInterface];
          if (linkType != announced) {
            linkTypeListener.accept(linkType);
            announced = linkType;
          }
          handler.onPacket(frame, captured, lastWireLength, lastMicros);
          packets++;
        }
      }
      position += length;
    }
    return packets;
  }

  /** Reads a packet block into {@code frame}; returns the captured length. */
  private int packet(long position, int type, int block, int blockLength, byte[] frame)
      throws PcapFileReader.CaptureFileException {
    if (type == SIMPLE_PACKET_BLOCK) {
      requireBody(position, blockLength, SPB_DATA);
      if (interfaces == 0) {
        throw corrupt(position, "a simple packet block before any interface description");
      }
      long original = window.getInt(block + SPB_ORIGINAL_LENGTH) & 0xFFFF_FFFFL;
      int room = blockLength - SPB_DATA - BLOCK_TRAILER;
      int snaplen = snaplens[0] == 0 ? Integer.MAX_VALUE : snaplens[0];
      int captured = (int) Math.min(Math.min(original, room), snaplen);
      copy(position, block + SPB_DATA, captured, frame);
      lastInterface = 0;
      lastWireLength = (int) Math.min(original, Integer.MAX_VALUE);
      // a simple packet block has no timestamp: it keeps the previous packet's time
      return captured;
    }
    requireBody(position, blockLength, EPB_DATA);
    long interfaceId =
        type == PACKET_BLOCK
            ? window.getShort(block + PB_INTERFACE) & 0xFFFF
            : window.getInt(block + EPB_INTERFACE) & 0xFFFF_FFFFL;
    if (interfaceId >= interfaces) {
      throw corrupt(position, "interface " + interfaceId + " is not described in its section");
    }
    int id = (int) interfaceId;
    long timestamp =
        (window.getInt(block + EPB_TIMESTAMP_HIGH) & 0xFFFF_FFFFL) << 32
            | (window.getInt(block + EPB_TIMESTAMP_LOW) & 0xFFFF_FFFFL);
    long captured = window.getInt(block + EPB_CAPTURED_LENGTH) & 0xFFFF_FFFFL;
    long original = window.getInt(block + EPB_ORIGINAL_LENGTH) & 0xFFFF_FFFFL;
    if (captured > blockLength - EPB_DATA - BLOCK_TRAILER) {
      throw corrupt(position, "captured length " + captured + " exceeds its block");
    }
    if (captured > MappedPcapReader.MAX_CAPTURED_LENGTH) {
      throw corrupt(position, "captured length " + captured + " exceeds the largest packet");
    }
    copy(position, block + EPB_DATA, (int) captured, frame);
    lastInterface = id;
    // an original length beyond 2^31 is corrupt; the captured length is then all we know
    lastWireLength = original > Integer.MAX_VALUE ? (int) captured : (int) original;
    lastMicros = micros(timestamp, tsresols[id]) + tsoffsets[id] * MICROS_PER_SECOND;
    return (int) captured;
  }

  private void copy(long position, int from, int length, byte[] frame)
      throws PcapFileReader.CaptureFileException {
    if (length > frame.length) {
      throw corrupt(position, "captured length " + length + " exceeds the largest packet");
    }
    window.get(from, frame, 0, length);
  }

  /** Starts a section: its byte order from the magic, and no interfaces yet. */
  private void startSection(long position) throws IOException, PcapFileReader.CaptureFileException {
    if (size - position < SHB_OPTIONS + BLOCK_TRAILER) {
      throw corrupt(position, "the file ends inside a section header block");
    }
    ensureMapped(position, SHB_OPTIONS);
    int block = at(position);
    int magic = window.order(ByteOrder.BIG_ENDIAN).getInt(block + SHB_BYTE_ORDER_MAGIC);
    if (magic == BYTE_ORDER_MAGIC) {
      order = ByteOrder.BIG_ENDIAN;
    } else if (Integer.reverseBytes(magic) == BYTE_ORDER_MAGIC) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else {
      throw corrupt(position, "byte-order magic " + Integer.toHexString(magic) + " is invalid");
    }
    window.order(order);
    int major = window.getShort(block + SHB_MAJOR_VERSION) & 0xFFFF;
    if (major != SUPPORTED_MAJOR_VERSION) {
      throw corrupt(position, "pcapng major version " + major + " is not supported");
    }
    interfaces = 0;
  }

  private void addInterface(long position, int block, int blockLength)
      throws PcapFileReader.CaptureFileException {
    requireBody(position, blockLength, IDB_OPTIONS);
    if (interfaces == linkTypes.length) {
      linkTypes = Arrays.copyOf(linkTypes, interfaces * 2);
      snaplens = Arrays.copyOf(snaplens, interfaces * 2);
      tsresols = Arrays.copyOf(tsresols, interfaces * 2);
      tsoffsets = Arrays.copyOf(tsoffsets, interfaces * 2);
    }
    int id = interfaces++;
    linkTypes[id] = LinkType.fromDlt(window.getShort(block + IDB_LINK_TYPE) & 0xFFFF);
    long snaplen = window.getInt(block + IDB_SNAPLEN) & 0xFFFF_FFFFL;
    snaplens[id] = (int) Math.min(snaplen, Integer.MAX_VALUE);
    tsresols[id] = DEFAULT_TSRESOL;
    tsoffsets[id] = 0;
    int end = block + blockLength - BLOCK_TRAILER;
    int option = block + IDB_OPTIONS;
    while (end - option >= OPTION_VALUE) {
      int code = window.getShort(option + OPTION_CODE) & 0xFFFF;
      int length = window.getShort(option + OPTION_LENGTH) & 0xFFFF;
      if (code == OPT_END_OF_OPTIONS) {
        break;
      }
      if (length > end - option - OPTION_VALUE) {
        throw corrupt(position, "option " + code + " of length " + length + " exceeds its block");
      }
      if (code == IF_TSRESOL && length >= 1) {
        tsresols[id] = checkedResolution(position, window.get(option + OPTION_VALUE) & 0xFF);
      } else if (code == IF_TSOFFSET && length >= 8) {
        tsoffsets[id] = window.getLong(option + OPTION_VALUE);
      }
      option += OPTION_VALUE + (length + 3) / 4 * 4;
    }
  }

  private int checkedResolution(long position, int tsresol)
      throws PcapFileReader.CaptureFileException {
    boolean binary = (tsresol & TSRESOL_BINARY) != 0;
    int exponent = tsresol & ~TSRESOL_BINARY;
    if (exponent > (binary ? MAX_BINARY_EXPONENT : MAX_DECIMAL_EXPONENT)) {
      throw corrupt(position, "if_tsresol " + tsresol + " is beyond a 64-bit timestamp");
    }
    return tsresol;
  }

  /**
   * A timestamp in units of {@code tsresol} (10^-n seconds, or 2^-n when the top bit is set) as
   * microseconds; finer units are truncated.
   */
  static long micros(long timestamp, int tsresol) {
    int exponent = tsresol & ~TSRESOL_BINARY;
    if ((tsresol & TSRESOL_BINARY) != 0) {
      long seconds = exponent == 0 ? timestamp : timestamp >>> exponent;
      long fraction = exponent == 0 ? 0 : timestamp & ((1L << exponent) - 1);
      long fractionMicros =
          exponent <= 20
              ? fraction * MICROS_PER_SECOND >>> exponent
              : (fraction >>> (exponent - 20)) * MICROS_PER_SECOND >>> 20;
      return seconds * MICROS_PER_SECOND + fractionMicros;
    }
    long perSecond = pow10(exponent);
    long seconds = Long.divideUnsigned(timestamp, perSecond);
    long fraction = Long.remainderUnsigned(timestamp, perSecond);
    long fractionMicros =
        exponent <= 6 ? fraction * pow10(6 - exponent) : fraction / pow10(exponent - 6);
    return seconds * MICROS_PER_SECOND + fractionMicros;
  }

  private static long pow10(int exponent) {
    long value = 1;
    for (int i = 0; i < exponent; i++) {
      value *= 10;
    }
    return value;
  }

  private void requireBody(long position, int blockLength, int bodyEnd)
      throws PcapFileReader.CaptureFileException {
    if (blockLength < bodyEnd + BLOCK_TRAILER) {
      throw corrupt(position, "block length " + blockLength + " is too short for its type");
    }
  }

  /** Maps a window that holds {@code [position, position + length)}. */
  private void ensureMapped(long position, int length) throws IOException {
    if (position < windowStart || position + length > windowStart + window.limit()) {
      windowStart = position;
      window = MappedPcapReader.map(channel, position, size - position);
      window.order(order);
    }
  }

  private int at(long position) {
    return (int) (position - windowStart);
  }

  private PcapFileReader.CaptureFileException corrupt(long position, String reason) {
    return new PcapFileReader.CaptureFileException(
        "corrupt pcapng block in capture file " + file + " at offset " + position + ": " + reason,
        null);
  }
}

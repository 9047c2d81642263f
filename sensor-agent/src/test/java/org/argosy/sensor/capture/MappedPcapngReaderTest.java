package org.argosy.sensor.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.argosy.sensor.SharedCapturesTest;
import org.argosy.sensor.TestFrames;
import org.argosy.sensor.decode.LinkType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * The pure-Java pcapng reader: sections in both byte orders, interfaces with their own link type
 * and timestamp resolution, the packet block types, corruption reported by file and offset, and the
 * same packets as libpcap on pcapng files made by editcap and on the shared corpus.
 */
class MappedPcapngReaderTest {

  private static final int SHB = 0x0A0D0D0A;
  private static final int IDB = 1;
  private static final int SPB = 3;
  private static final int NRB = 4;
  private static final int EPB = 6;
  private static final int ETHERNET = 1;
  private static final int RAW = 101;

  /** One delivered packet: link type in force, time, wire length and the captured bytes in hex. */
  private record Packet(LinkType linkType, long micros, int wire, String bytes) {
    Packet(LinkType linkType, long micros, int wire, byte[] frame, int captured) {
      this(linkType, micros, wire, HexFormat.of().formatHex(frame, 0, captured));
    }

    Packet(LinkType linkType, long micros, int wire, byte[] frame) {
      this(linkType, micros, wire, frame, frame.length);
    }
  }

  /** Writes pcapng blocks in one byte order. */
  private static final class Blocks {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;

    Blocks(ByteOrder order) {
      this.order = order;
    }

    Blocks block(int type, byte[] body) {
      int padded = (body.length + 3) / 4 * 4;
      int length = 12 + padded;
      ByteBuffer b = ByteBuffer.allocate(length).order(order);
      b.putInt(type).putInt(length).put(body).position(8 + padded);
      b.putInt(length);
      out.writeBytes(b.array());
      return this;
    }

    ByteBuffer body(int size) {
      return ByteBuffer.allocate(size).order(order);
    }

    Blocks section() {
      return block(
          SHB,
          body(16).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).array());
    }

    /**
     * An interface; {@code tsresol} -1 leaves the option out; {@code tsoffset} seconds if not 0.
     */
    Blocks iface(int linkType, int snaplen, int tsresol, long tsoffset) {
      ByteBuffer b = body(8 + 8 + 12 + 4);
      b.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
      if (tsresol >= 0) {
        b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
      }
      if (tsoffset != 0) {
        b.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
      }
      b.putInt(0); // opt_endofopt
      return block(IDB, Arrays.copyOf(b.array(), b.position()));
    }

    Blocks enhanced(int iface, long timestamp, int wire, byte[] data) {
      ByteBuffer b = body(20 + data.length);
      b.putInt(iface).putInt((int) (timestamp >>> 32)).putInt((int) timestamp);
      b.putInt(data.length).putInt(wire).put(data);
      return block(EPB, b.array());
    }

    Blocks simple(int wire, byte[] data) {
      return block(SPB, body(4 + data.length).putInt(wire).put(data).array());
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /** The packets of a pcapng or pcap file, read by the pure-Java readers. */
  private static List<Packet> read(Path file) throws Exception {
    List<Packet> packets = new ArrayList<>();
    LinkType[] current = {null};
    PcapFileReader.read(
        file,
        linkType -> current[0] = linkType,
        (frame, captured, wire, micros) ->
            packets.add(new Packet(current[0], micros, wire, frame, captured)),
        () -> false);
    return packets;
  }

  private static byte[] frame(int n) {
    return TestFrames.ethernet(0x88cc, new byte[] {(byte) n, 1, 2, 3, 4, 5});
  }

  @Test
  void readsSectionsInBothByteOrdersWithEachInterfacesLinkTypeAndResolution(@TempDir Path dir)
      throws Exception {
    byte[] raw = {0x45, 0, 0, 20};
    byte[] first =
        new Blocks(ByteOrder.BIG_ENDIAN)
            .section()
            .iface(ETHERNET, 0, 9, 0) // nanoseconds
            .iface(RAW, 0, 0x80 | 20, 0) // 2^-20 s
            .enhanced(0, 1_700_000_000_123_456_789L, 60, frame(1))
            .block(NRB, new byte[8]) // a name resolution block: skipped
            .enhanced(1, (1_700_000_001L << 20) | (1 << 19), 20, raw)
            .simple(100, frame(2)) // no timestamp: the previous packet's
            .bytes();
    byte[] second =
        new Blocks(ByteOrder.LITTLE_ENDIAN)
            .section()
            .iface(ETHERNET, 0, -1, 10) // default microseconds, 10 s offset
            .enhanced(0, 1_700_000_002_000_001L, 64, frame(3))
            .bytes();
    Path file = dir.resolve("two-sections.pcapng");
    Files.write(file, concat(first, second));

    assertThat(read(file))
        .containsExactly(
            new Packet(LinkType.ETHERNET, 1_700_000_000_123_456L, 60, frame(1)),
            new Packet(LinkType.RAW_IP, 1_700_000_001_500_000L, 20, raw),
            new Packet(LinkType.ETHERNET, 1_700_000_001_500_000L, 100, frame(2)),
            new Packet(LinkType.ETHERNET, 1_700_000_012_000_001L, 64, frame(3)));
  }

  @Test
  void aFileCutInsideABlockIsAnErrorNamingFileAndOffset(@TempDir Path dir) throws Exception {
    Blocks blocks = new Blocks(ByteOrder.LITTLE_ENDIAN).section();
    int interfaceBlock = blocks.bytes().length;
    int firstPacket = blocks.iface(ETHERNET, 0, 9, 0).bytes().length;
    int secondPacket = blocks.enhanced(0, 1_000_000_000L, 60, frame(1)).bytes().length;
    byte[] whole = blocks.enhanced(0, 2_000_000_000L, 60, frame(2)).bytes();
    Path file = dir.resolve("cut.pcapng");
    for (int length = 4; length < whole.length; length++) {
      Files.write(file, Arrays.copyOf(whole, length));
      if (length == interfaceBlock || length == firstPacket || length == secondPacket) {
        assertThat(read(file)).hasSize(length == secondPacket ? 1 : 0); // cut between blocks
        continue;
      }
      int block =
          length < interfaceBlock
              ? 0
              : length < firstPacket
                  ? interfaceBlock
                  : length < secondPacket ? firstPacket : secondPacket;
      assertThatThrownBy(() -> read(file))
          .as("cut to %d bytes", length)
          .isInstanceOf(PcapFileReader.CaptureFileException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("at offset " + block);
    }
    assertThat(read(writeAll(file, whole))).hasSize(2);
  }

  @Test
  void corruptFieldsAreNamedWithTheirBlocksOffset(@TempDir Path dir) throws Exception {
    Blocks blocks = new Blocks(ByteOrder.BIG_ENDIAN).section().iface(ETHERNET, 0, -1, 0);
    int packetOffset = blocks.bytes().length;
    byte[] whole = blocks.enhanced(0, 5, 60, frame(1)).bytes();

    byte[] wrongInterface = whole.clone();
    ByteBuffer.wrap(wrongInterface).putInt(packetOffset + 8, 7);
    assertThatThrownBy(() -> read(writeAll(dir.resolve("a.pcapng"), wrongInterface)))
        .hasMessageContaining("at offset " + packetOffset)
        .hasMessageContaining("interface 7 is not described");

    byte[] overlong = whole.clone();
    ByteBuffer.wrap(overlong).putInt(packetOffset + 20, 10_000);
    assertThatThrownBy(() -> read(writeAll(dir.resolve("b.pcapng"), overlong)))
        .hasMessageContaining("at offset " + packetOffset)
        .hasMessageContaining("captured length 10000 exceeds its block");

    byte[] badTrailer = whole.clone();
    ByteBuffer.wrap(badTrailer).putInt(whole.length - 4, 8);
    assertThatThrownBy(() -> read(writeAll(dir.resolve("c.pcapng"), badTrailer)))
        .hasMessageContaining("trailing block length differs");

    byte[] badMagic = whole.clone();
    ByteBuffer.wrap(badMagic).putInt(8, 0x12345678);
    assertThatThrownBy(() -> read(writeAll(dir.resolve("d.pcapng"), badMagic)))
        .hasMessageContaining("at offset 0")
        .hasMessageContaining("byte-order magic 12345678");
  }

  @Test
  void timestampsOfEveryResolutionBecomeMicroseconds() {
    assertThat(MappedPcapngReader.micros(1_500_000L, 6)).isEqualTo(1_500_000L);
    assertThat(MappedPcapngReader.micros(15L, 1)).isEqualTo(1_500_000L);
    assertThat(MappedPcapngReader.micros(1_500_000_999L, 9)).isEqualTo(1_500_000L);
    assertThat(MappedPcapngReader.micros(3L << 31, 0x80 | 32)).isEqualTo(1_500_000L);
    assertThat(MappedPcapngReader.micros(3, 0x80 | 1)).isEqualTo(1_500_000L);
    // the largest nanosecond timestamps (year 2554) stay positive: unsigned division
    assertThat(MappedPcapngReader.micros(-1L, 9)).isEqualTo(Long.divideUnsigned(-1L, 1000));
  }

  @Test
  void editcapsPcapngHasTheSamePacketsAsThePcapItWasMadeFrom(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(installed("editcap"), "editcap (wireshark-common) is not installed");
    Path pcap = dir.resolve("in.pcap");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(TestFrames.pcapFileHeader(65535));
    for (int i = 0; i < 50; i++) {
      byte[] frame = frame(i);
      out.writeBytes(
          TestFrames.pcapRecordHeader(
              1_700_000_000_000_000L + i * 1234L, frame.length, frame.length + i));
      out.writeBytes(frame);
    }
    Files.write(pcap, out.toByteArray());
    Path pcapng = dir.resolve("out.pcapng");
    run("editcap", "-F", "pcapng", pcap.toString(), pcapng.toString());
    List<Packet> expected = read(pcap);

    assertThat(read(pcapng)).hasSize(50).isEqualTo(expected);
    // two sections one after the other are one valid pcapng file
    Path twice = dir.resolve("twice.pcapng");
    byte[] once = Files.readAllBytes(pcapng);
    Files.write(twice, concat(once, once));
    List<Packet> doubled = new ArrayList<>(expected);
    doubled.addAll(expected);
    assertThat(read(twice)).isEqualTo(doubled);
  }

  /** Every pcapng file of the shared corpus that libpcap reads: the same packets as libpcap. */
  @Test
  void theCorpusPcapngFilesReadAsLibpcapReadsThem() throws Exception {
    Path corpus = SharedCapturesTest.corpus();
    Assumptions.assumeTrue(Files.isDirectory(corpus), "shared corpus not present at " + corpus);
    List<Path> files;
    try (Stream<Path> listing = Files.list(corpus)) {
      files = listing.filter(f -> f.toString().endsWith(".pcapng")).sorted().toList();
    }
    Libpcap.ensureLoadable();
    int compared = 0;
    for (Path file : files) {
      List<Packet> libpcap = new ArrayList<>();
      PcapHandle handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
      try {
        LinkType linkType = LinkType.fromDlt(handle.getDlt().value());
        RawPacketLoop.run(
            handle,
            (frame, captured, wire, micros) ->
                libpcap.add(new Packet(linkType, micros, wire, frame, captured)),
            () -> false);
      } finally {
        handle.close();
      }
      assertThat(read(file)).as(file.getFileName().toString()).isEqualTo(libpcap);
      compared++;
    }
    assertThat(compared).isGreaterThan(40);
  }

  private static Path writeAll(Path file, byte[] bytes) throws Exception {
    return Files.write(file, bytes);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
  }

  /** Whether {@code program} starts at all (it is on the path). */
  private static boolean installed(String program) throws InterruptedException {
    try {
      Process process =
          new ProcessBuilder(program, "-v")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return process.waitFor(30, TimeUnit.SECONDS);
    } catch (java.io.IOException e) {
      return false;
    }
  }
}

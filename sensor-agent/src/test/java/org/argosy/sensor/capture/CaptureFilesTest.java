package org.argosy.sensor.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.argosy.sensor.TestFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capture files are found by magic number, under any name, and ordered by first packet time. */
class CaptureFilesTest {

  /** A little-endian microsecond pcap file with one Ethernet frame at {@code seconds}. */
  private static void writePcap(Path file, int seconds) throws Exception {
    byte[] frame = TestFrames.ethernet(0x88cc, new byte[46]);
    byte[] header = TestFrames.pcapFileHeader(65535);
    byte[] record = TestFrames.pcapRecordHeader(seconds * 1_000_000L, frame.length, frame.length);
    ByteBuffer pcap =
        ByteBuffer.allocate(header.length + record.length + frame.length)
            .put(header)
            .put(record)
            .put(frame);
    Files.write(file, pcap.array());
  }

  @Test
  void findsCaptureFilesRecursivelyByTheirMagicNumber(@TempDir Path dir) throws Exception {
    writePcap(Files.createDirectories(dir.resolve("a/b")).resolve("no-extension"), 100);
    writePcap(dir.resolve("top.pcap"), 50);
    Files.writeString(dir.resolve("notes.pcap"), "text, whatever the name says");

    assertThat(CaptureFiles.findUnder(dir))
        .containsExactlyInAnyOrder(dir.resolve("a/b/no-extension"), dir.resolve("top.pcap"));
  }

  @Test
  void ordersFilesByTheirFirstPacketAndUnreadableOnesLast(@TempDir Path dir) throws Exception {
    writePcap(dir.resolve("a-later.pcap"), 2_000);
    writePcap(dir.resolve("b-earlier.pcap"), 1_000);
    Files.write(dir.resolve("0-empty.pcap"), new byte[] {(byte) 0xD4, (byte) 0xC3, (byte) 0xB2});

    assertThat(
            CaptureFiles.inTimestampOrder(
                java.util.List.of(
                    dir.resolve("a-later.pcap"),
                    dir.resolve("0-empty.pcap"),
                    dir.resolve("b-earlier.pcap"))))
        .containsExactly(
            dir.resolve("b-earlier.pcap"),
            dir.resolve("a-later.pcap"),
            dir.resolve("0-empty.pcap"));
  }
}

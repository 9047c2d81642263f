package org.argosy.sensor.bench;

import static org.argosy.sensor.TestFrames.TCP_ACK;
import static org.argosy.sensor.TestFrames.TCP_FIN;
import static org.argosy.sensor.TestFrames.TCP_SYN;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.argosy.sensor.TestFrames;

/**
 * Writes reproducible benchmark captures (classic pcap, Ethernet, snaplen 128 as tcpdump -s 128
 * would keep them): nothing random, so every run meters the same packets.
 */
public final class SyntheticCapture implements AutoCloseable {

  private static final int SNAPLEN = 128;
  private static final long START_MICROS = 1_795_977_850_000_000L; // 2026-11-29T18:44:10Z

  private final OutputStream out;
  private long packets;

  private SyntheticCapture(Path file) throws IOException {
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
    out.write(TestFrames.pcapFileHeader(SNAPLEN));
  }

  /**
   * {@code flows} short TCP conversations (handshake, request, response, both FINs, final ACK: 7
   * packets) from 10.1.x.y to 10.2.0.1:80, one starting every 50 us.
   */
  public static long shortFlows(Path file, int flows) throws IOException {
    try (SyntheticCapture capture = new SyntheticCapture(file)) {
      for (int i = 0; i < flows; i++) {
        String client = "10.1." + (i >> 8 & 0xff) + "." + (i & 0xff);
        int port = 1024 + (i >> 16);
        long t = START_MICROS + i * 50L;
        capture.tcp(t, client, "10.2.0.1", port, 80, TCP_SYN, 0);
        capture.tcp(t + 100, "10.2.0.1", client, 80, port, TCP_SYN | TCP_ACK, 0);
        capture.tcp(t + 200, client, "10.2.0.1", port, 80, TCP_ACK, 300);
        capture.tcp(t + 400, "10.2.0.1", client, 80, port, TCP_ACK, 1400);
        capture.tcp(t + 500, client, "10.2.0.1", port, 80, TCP_ACK | TCP_FIN, 0);
        capture.tcp(t + 600, "10.2.0.1", client, 80, port, TCP_ACK | TCP_FIN, 0);
        capture.tcp(t + 700, client, "10.2.0.1", port, 80, TCP_ACK, 0);
      }
      return capture.packets;
    }
  }

  /**
   * {@code flows} bulk transfers in parallel, {@code segmentsEach} full-size data segments each
   * with an ACK for every second one, interleaved packet by packet, 10 us apart.
   */
  static long bulkFlows(Path file, int flows, int segmentsEach) throws IOException {
    try (SyntheticCapture capture = new SyntheticCapture(file)) {
      long t = START_MICROS;
      for (int s = 0; s < segmentsEach; s++) {
        for (int f = 0; f < flows; f++) {
          String client = "10.3.0." + (f + 1);
          capture.tcp(t += 10, "10.4.0.1", client, 5432, 40000 + f, TCP_ACK, 1448);
          if (s % 2 == 1) {
            capture.tcp(t += 10, client, "10.4.0.1", 40000 + f, 5432, TCP_ACK, 0);
          }
        }
      }
      return capture.packets;
    }
  }

  private void tcp(long micros, String src, String dst, int sport, int dport, int flags, int data)
      throws IOException {
    byte[] headers =
        TestFrames.ethernet(
            0x0800,
            TestFrames.ipv4(6, src, dst, 0, 0, TestFrames.tcp(sport, dport, flags, new byte[0])));
    int wire = headers.length + data;
    // the IP total length covers the payload that the snaplen cut off
    ByteBuffer.wrap(headers).putShort(14 + 2, (short) (wire - 14));
    byte[] kept = java.util.Arrays.copyOf(headers, Math.min(wire, SNAPLEN));
    out.write(TestFrames.pcapRecordHeader(micros, kept.length, wire));
    out.write(kept);
    packets++;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

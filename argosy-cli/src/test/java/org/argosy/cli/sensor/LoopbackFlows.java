package org.argosy.cli.sensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UDP conversations on 127.0.0.1 for the sensor to capture on {@code lo}: a receiver on a free port
 * and {@code flows} senders, each its own source port, so each is one flow. {@link #filter()} is
 * the capture filter that sees these packets and nothing else of the machine's loopback traffic.
 */
final class LoopbackFlows implements AutoCloseable {

  static final int PAYLOAD_BYTES = 64;

  private final DatagramSocket receiver;
  private final List<DatagramSocket> senders = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean running;
  private Thread background;

  LoopbackFlows(int flows) throws IOException {
    receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    receiver.setReceiveBufferSize(4 << 20);
    Thread drain =
        new Thread(
            () -> {
              byte[] buffer = new byte[2048];
              try {
                while (true) {
                  receiver.receive(new DatagramPacket(buffer, buffer.length));
                }
              } catch (IOException closed) {
                // the receiver was closed
              }
            },
            "loopback-flows-receiver");
    drain.setDaemon(true);
    drain.start();
    for (int i = 0; i < flows; i++) {
      senders.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }
  }

  /**
   * The BPF filter of these conversations. The kernel's capture socket sees every loopback packet
   * twice, going out and coming in: libpcap counts both as received (and the kernel may drop
   * either), then discards the outgoing copy, so the sensor meters each packet once.
   */
  String filter() {
    return "udp and port " + port();
  }

  int port() {
    return receiver.getLocalPort();
  }

  /** The source ports, one per flow. */
  List<Integer> sourcePorts() {
    return senders.stream().map(DatagramSocket::getLocalPort).toList();
  }

  /** Packets sent so far. */
  long sent() {
    return sent.get();
  }

  /** Sends {@code rounds} rounds of one packet per flow, {@code pauseMillis} between rounds. */
  void send(int rounds, long pauseMillis) throws InterruptedException {
    for (int round = 0; round < rounds; round++) {
      sendRound();
      if (pauseMillis > 0) {
        Thread.sleep(pauseMillis);
      }
    }
  }

  /** Sends a round every {@code pauseMillis} on a background thread until {@link #stop()}. */
  void sendContinuously(long pauseMillis) {
    running = true;
    background =
        new Thread(
            () -> {
              try {
                while (running) {
                  sendRound();
                  Thread.sleep(pauseMillis);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "loopback-flows-sender");
    background.start();
  }

  /** Stops {@link #sendContinuously} and returns once its last round is sent. */
  void stop() throws InterruptedException {
    running = false;
    if (background != null) {
      background.join();
    }
  }

  private void sendRound() {
    InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    for (DatagramSocket sender : senders) {
      try {
        sender.send(new DatagramPacket(new byte[PAYLOAD_BYTES], PAYLOAD_BYTES, to));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      sent.incrementAndGet();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    senders.forEach(DatagramSocket::close);
    receiver.close();
  }
}

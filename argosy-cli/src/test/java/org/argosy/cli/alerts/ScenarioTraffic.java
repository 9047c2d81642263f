package org.argosy.cli.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The traffic of {@link AlertScenariosITCase}, run inside the test's network namespaces with {@code
 * ip netns exec}. Each mode is one side of one scenario; it exits 0 when the traffic went as the
 * scenario needs (a scan that finds an open port, say, fails):
 *
 * <pre>
 * scan HOST FIRST LAST               connects to ports FIRST..LAST of HOST; each must be refused (RST)
 * sweep FIRST COUNT PORT             connects to PORT of COUNT addresses from FIRST on; each refused
 * receive PORT                       accepts one TCP connection, reads it to its end; prints "listening"
 * push HOST PORT BYTES RATE          sends BYTES to HOST:PORT over one connection, RATE bytes/s
 * broadcast FROM PORT COUNT SIZE     sends COUNT datagrams of SIZE bytes from FROM to 255.255.255.255
 * syn-flood HOST PORT COUNT          opens COUNT connections to HOST:PORT at once, never completed
 * </pre>
 */
public final class ScenarioTraffic {

  private static final int CONNECT_TIMEOUT_MILLIS = 3000;
  private static final int CHUNK = 64 * 1024;

  private ScenarioTraffic() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "scan" -> scan(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "sweep" -> sweep(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "receive" -> receive(Integer.parseInt(args[1]));
      case "push" ->
          push(
              args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
      case "broadcast" ->
          broadcast(
              args[1],
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]));
      case "syn-flood" -> synFlood(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void scan(String host, int first, int last) throws IOException {
    InetAddress target = InetAddress.getByName(host);
    for (int port = first; port <= last; port++) {
      refuse(target, port);
    }
    System.out.println((last - first + 1) + " ports refused");
  }

  /** Probes {@code port} of {@code count} consecutive addresses from {@code first} on. */
  private static void sweep(String first, int count, int port) throws IOException {
    byte[] address = InetAddress.getByName(first).getAddress();
    for (int i = 0; i < count; i++) {
      refuse(InetAddress.getByAddress(address), port);
      address[3]++;
    }
    System.out.println(count + " hosts refused");
  }

  /** Connects to a port that must be closed: the SYN must be answered by a RST. */
  private static void refuse(InetAddress target, int port) throws IOException {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(target, port), CONNECT_TIMEOUT_MILLIS);
      throw new IOException("port " + port + " of " + target + " is open");
    } catch (ConnectException e) {
      if (!String.valueOf(e.getMessage()).contains("refused")) {
        throw e; // not a closed port: the network is not there
      }
    }
  }

  private static void receive(int port) throws IOException {
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(port));
      System.out.println("listening");
      System.out.flush();
      try (Socket connection = listener.accept();
          InputStream in = connection.getInputStream()) {
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          total += n;
        }
        System.out.println("received " + total + " bytes");
      }
    }
  }

  /** Sends in 64 KiB chunks, sleeping as needed so that the average stays at {@code rate}. */
  private static void push(String host, int port, long bytes, long rate)
      throws IOException, InterruptedException {
    byte[] chunk = new byte[CHUNK];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) (i * 31 + (i >> 7));
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      long start = System.nanoTime();
      long sent = 0;
      while (sent < bytes) {
        int n = (int) Math.min(CHUNK, bytes - sent);
        out.write(chunk, 0, n);
        sent += n;
        long due = start + sent * 1_000_000_000L / rate;
        long early = due - System.nanoTime();
        if (early > 0) {
          Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
        }
      }
      socket.shutdownOutput();
      if (socket.getInputStream().read() != -1) {
        throw new IOException("the receiver answered; it should only read");
      }
      System.out.println("sent " + sent + " bytes");
    }
  }

  /** Bound to {@code from}, so that the limited broadcast leaves through that address's device. */
  private static void broadcast(String from, int port, int count, int size)
      throws IOException, InterruptedException {
    InetAddress everyone = InetAddress.getByName("255.255.255.255");
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
      socket.setBroadcast(true);
      byte[] payload = new byte[size];
      for (int i = 1; i <= count; i++) {
        socket.send(new DatagramPacket(payload, size, everyone, port));
        if (i % 20 == 0) {
          Thread.sleep(5); // ~4000 datagrams a second: a storm, but one tcpdump keeps up with
        }
      }
      System.out.println("sent " + count + " datagrams");
    }
  }

  /**
   * Each non-blocking connect sends one SYN from its own port; the test's target never answers (its
   * route back is a blackhole), so they stay half-open until closed here, before the first SYN
   * retransmission (1 s) where possible.
   */
  private static void synFlood(String host, int port, int count)
      throws IOException, InterruptedException {
    InetSocketAddress target = new InetSocketAddress(host, port);
    List<SocketChannel> pending = new ArrayList<>();
    try {
      for (int i = 1; i <= count; i++) {
        SocketChannel channel = SocketChannel.open();
        pending.add(channel);
        channel.configureBlocking(false);
        if (channel.connect(target)) {
          throw new IOException("connection " + i + " to " + target + " was accepted");
        }
        if (i % 50 == 0) {
          Thread.sleep(10);
        }
      }
      Thread.sleep(300);
      for (SocketChannel channel : pending) {
        if (channel.finishConnect()) {
          throw new IOException("a connection to " + target + " was answered");
        }
      }
    } finally {
      for (SocketChannel channel : pending) {
        channel.close();
      }
    }
    System.out.println("sent " + count + " SYNs");
  }
}

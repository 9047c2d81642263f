package org.argosy.cli.sensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * The traffic of the live-capture test, run inside its network namespaces: {@code server} answers
 * one TCP echo conversation and {@link #UDP_EXCHANGES} UDP echoes, {@code client ADDRESS} makes
 * them, pings the server and tries a port nobody listens on (refused: RST).
 */
public final class NamespaceTraffic {

  static final int TCP_PORT = 7000;
  static final int UDP_PORT = 7001;
  static final int CLOSED_PORT = 7002;
  static final int TCP_BYTES = 100_000;
  static final int UDP_EXCHANGES = 3;
  static final int UDP_BYTES = 100;

  private NamespaceTraffic() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("server")) {
      serve();
    } else {
      talkTo(InetAddress.getByName(args[1]));
    }
  }

  private static void serve() throws IOException {
    try (ServerSocket listener = new ServerSocket();
        DatagramSocket udp = new DatagramSocket(UDP_PORT)) {
      listener.bind(new InetSocketAddress(TCP_PORT));
      System.out.println("listening");
      System.out.flush();
      try (Socket connection = listener.accept()) {
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream();
        byte[] buffer = new byte[8192];
        int total = 0;
        while (total < TCP_BYTES) {
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          out.write(buffer, 0, n);
          total += n;
        }
      }
      for (int i = 0; i < UDP_EXCHANGES; i++) {
        DatagramPacket datagram = new DatagramPacket(new byte[2048], 2048);
        udp.receive(datagram);
        udp.send(datagram);
      }
    }
  }

  private static void talkTo(InetAddress server) throws IOException {
    try (Socket socket = new Socket(server, TCP_PORT)) {
      byte[] data = new byte[TCP_BYTES];
      Arrays.fill(data, (byte) 'x');
      socket.getOutputStream().write(data);
      socket.shutdownOutput();
      byte[] echoed = socket.getInputStream().readAllBytes();
      if (echoed.length != TCP_BYTES) {
        throw new IOException("echoed " + echoed.length + " of " + TCP_BYTES + " bytes");
      }
    }
    try (DatagramSocket udp = new DatagramSocket()) {
      udp.setSoTimeout(5000);
      for (int i = 0; i < UDP_EXCHANGES; i++) {
        udp.send(new DatagramPacket(new byte[UDP_BYTES], UDP_BYTES, server, UDP_PORT));
        udp.receive(new DatagramPacket(new byte[2048], 2048));
      }
    }
    try (Socket refused = new Socket()) {
      refused.connect(new InetSocketAddress(server, CLOSED_PORT), 5000);
      throw new IOException("port " + CLOSED_PORT + " unexpectedly open");
    } catch (java.net.ConnectException expected) {
      // the RST the test looks for
    }
    // as root, isReachable sends ICMP echo requests
    if (!server.isReachable(5000)) {
      throw new IOException("no echo reply from " + server);
    }
  }
}

package org.argosy.cli.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

/**
 * The soak test's traffic, run inside its network namespace: UDP datagrams at a fixed rate, in turn
 * to every one of {@code destinations x ports} conversations, so that each conversation stays
 * active and the sensor writes one status record per conversation and status interval. Prints
 * {@code sent N} when done.
 *
 * <p>Arguments: first destination address, number of destinations (the last octet counts up), first
 * port, ports per destination, packets per second, seconds.
 */
public final class SoakTraffic {

  private static final int PAYLOAD_BYTES = 32;

  /** The pacing step: each millisecond sends what the rate owes it, so bursts stay small. */
  private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private SoakTraffic() {}

  public static void main(String[] args) throws Exception {
    InetSocketAddress[] conversations =
        conversations(
            InetAddress.getByName(args[0]),
            Integer.parseInt(args[1]),
            Integer.parseInt(args[2]),
            Integer.parseInt(args[3]));
    long packetsPerSecond = Long.parseLong(args[4]);
    long seconds = Long.parseLong(args[5]);

    ByteBuffer payload = ByteBuffer.allocateDirect(PAYLOAD_BYTES);
    long total = packetsPerSecond * seconds;
    long sent = 0;
    long start = System.nanoTime();
    try (DatagramChannel channel = DatagramChannel.open()) {
      while (sent < total) {
        long elapsed = System.nanoTime() - start;
        long owed = Math.min(total, elapsed * packetsPerSecond / TimeUnit.SECONDS.toNanos(1));
        for (; sent < owed; sent++) {
          payload.clear();
          channel.send(payload, conversations[(int) (sent % conversations.length)]);
        }
        long next = start + (elapsed / STEP_NANOS + 1) * STEP_NANOS;
        TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
      }
    }
    System.out.println("sent " + sent);
  }

  private static InetSocketAddress[] conversations(
      InetAddress first, int destinations, int firstPort, int ports) throws Exception {
    byte[] octets = first.getAddress();
    InetSocketAddress[] conversations = new InetSocketAddress[destinations * ports];
    for (int d = 0; d < destinations; d++) {
      byte[] address = octets.clone();
      address[3] += (byte) d;
      InetAddress destination = InetAddress.getByAddress(address);
      for (int p = 0; p < ports; p++) {
        // interleaved so that consecutive packets go to different destinations
        conversations[p * destinations + d] = new InetSocketAddress(destination, firstPort + p);
      }
    }
    return conversations;
  }
}

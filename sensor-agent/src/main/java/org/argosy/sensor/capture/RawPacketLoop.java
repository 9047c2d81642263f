package org.argosy.sensor.capture;

import java.sql.Timestamp;
import java.util.function.BooleanSupplier;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/**
 * pcap4j's raw-packet loop over an open handle, shared by files and live interfaces: no pcap4j
 * packet objects are built, and the loop ends when the capture ends, when {@code stop} says so, or
 * when another thread calls {@link PcapHandle#breakLoop()}.
 */
final class RawPacketLoop {

  private RawPacketLoop() {}

  /**
   * Hands every packet of {@code handle} to {@code handler} until the capture ends or is broken.
   *
   * @return the number of packets handed over
   * @throws RuntimeException what {@code handler} threw, after stopping the loop
   */
  static long run(PcapHandle handle, PacketHandler handler, BooleanSupplier stop)
      throws PcapNativeException, NotOpenException {
    long[] count = {0};
    // pcap4j logs and swallows what a listener throws; keep it, stop the loop and rethrow it.
    RuntimeException[] handlerFailure = {null};
    try {
      handle.loop(
          -1,
          (byte[] frame) -> {
            if (handlerFailure[0] != null) {
              return;
            }
            if (stop.getAsBoolean()) {
              breakLoop(handle);
              return;
            }
            count[0]++;
            try {
              handler.onPacket(
                  frame, frame.length, handle.getOriginalLength(), micros(handle.getTimestamp()));
            } catch (RuntimeException e) {
              handlerFailure[0] = e;
              breakLoop(handle);
            }
          });
    } catch (InterruptedException e) {
      // pcap4j's way of saying that breakLoop() ended the loop: a requested stop, not an error.
    }
    if (handlerFailure[0] != null) {
      throw handlerFailure[0];
    }
    return count[0];
  }

  static void breakLoop(PcapHandle handle) {
    try {
      handle.breakLoop();
    } catch (NotOpenException e) {
      // already closed: nothing left to break
    }
  }

  static long micros(Timestamp timestamp) {
    return Math.floorDiv(timestamp.getTime(), 1000L) * 1_000_000L + timestamp.getNanos() / 1000;
  }
}

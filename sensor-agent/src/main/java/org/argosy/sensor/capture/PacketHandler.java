package org.argosy.sensor.capture;

/** Receives captured frames in capture order. */
@FunctionalInterface
public interface PacketHandler {
  /**
   * @param frame the captured bytes (only valid during the call)
   * @param wireLength the frame's length on the wire, which may exceed the captured bytes
   * @param timeMicros capture time, UTC epoch microseconds
   */
  void onPacket(byte[] frame, int wireLength, long timeMicros);
}

package org.argosy.sensor.capture;

/** Receives captured frames in capture order. */
@FunctionalInterface
public interface PacketHandler {
  /**
   * @param frame the captured bytes in {@code frame[0..capturedLength)}, only valid during the call
   *     (readers reuse the array)
   * @param capturedLength how many bytes of the frame were captured
   * @param wireLength the frame's length on the wire, which may exceed the captured bytes
   * @param timeMicros capture time, UTC epoch microseconds
   */
  void onPacket(byte[] frame, int capturedLength, int wireLength, long timeMicros);
}

package org.argosy.sensor.capture;

import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import org.argosy.sensor.decode.LinkType;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads a pcap or pcapng file through libpcap (pcap4j), using the raw-packet loop so that no pcap4j
 * packet objects are built.
 */
public final class PcapFileReader {

  /** A capture file that cannot be read; the message names the file. */
  public static final class CaptureFileException extends Exception {
    CaptureFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What a read delivered: packets handed over, and records libpcap gave with unusable headers. */
  public record ReadResult(long packets, long unreadableRecords) {}

  /**
   * pcap4j builds each packet's timestamp inside its JNA callback, before our listener runs; a
   * corrupt record header (nanoseconds out of range) throws there and JNA hands the exception to
   * this handler instead of to the loop's caller. Counted per reading thread.
   */
  private static final ThreadLocal<long[]> CALLBACK_FAILURES =
      ThreadLocal.withInitial(() -> new long[1]);

  static {
    Native.setCallbackExceptionHandler((callback, e) -> CALLBACK_FAILURES.get()[0]++);
  }

  private PcapFileReader() {}

  /**
   * Reads every packet of {@code file} into {@code handler}.
   *
   * @param linkTypeListener told the file's link type before the first packet
   * @return what was read
   */
  public static ReadResult read(
      Path file, java.util.function.Consumer<LinkType> linkTypeListener, PacketHandler handler)
      throws CaptureFileException {
    if (!Files.isReadable(file)) {
      throw new CaptureFileException("cannot read capture file " + file, null);
    }
    Libpcap.ensureLoadable();
    PcapHandle handle;
    try {
      handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
    } catch (PcapNativeException e) {
      throw new CaptureFileException("cannot open capture file " + file + ": " + e.getMessage(), e);
    }
    long[] count = {0};
    long failuresBefore = CALLBACK_FAILURES.get()[0];
    // pcap4j logs and swallows what a listener throws; keep it, stop the loop and rethrow it.
    RuntimeException[] handlerFailure = {null};
    try {
      linkTypeListener.accept(LinkType.fromDlt(handle.getDlt().value()));
      handle.loop(
          -1,
          (byte[] frame) -> {
            if (handlerFailure[0] != null) {
              return;
            }
            count[0]++;
            try {
              handler.onPacket(frame, handle.getOriginalLength(), micros(handle.getTimestamp()));
            } catch (RuntimeException e) {
              handlerFailure[0] = e;
              breakLoop(handle);
            }
          });
      if (handlerFailure[0] != null) {
        throw handlerFailure[0];
      }
    } catch (PcapNativeException e) {
      // libpcap reports a truncated or corrupt file here; what was read so far stays counted.
      throw new CaptureFileException(
          "error in capture file " + file + " after packet " + count[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (NotOpenException e) {
      throw new IllegalStateException("handle closed while reading " + file, e);
    } finally {
      handle.close();
    }
    return new ReadResult(count[0], CALLBACK_FAILURES.get()[0] - failuresBefore);
  }

  private static void breakLoop(PcapHandle handle) {
    try {
      handle.breakLoop();
    } catch (NotOpenException e) {
      throw new IllegalStateException("handle closed while reading", e);
    }
  }

  private static long micros(Timestamp timestamp) {
    return Math.floorDiv(timestamp.getTime(), 1000L) * 1_000_000L + timestamp.getNanos() / 1000;
  }
}

package org.argosy.sensor.capture;

import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.argosy.sensor.decode.LinkType;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads a capture file: classic pcap with the pure-Java {@link MappedPcapReader}, which is faster
 * (BENCHMARKS.md), pcapng with {@link MappedPcapngReader}, and anything else libpcap may know
 * through pcap4j, using the raw-packet loop so that no pcap4j packet objects are built. A file read
 * with a {@link CaptureFilter} goes through libpcap too, which runs the filter on every record as
 * tcpdump does.
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
   * @param stop polled before each packet; true ends the read early (Ctrl-C)
   * @return what was read
   */
  public static ReadResult read(
      Path file, Consumer<LinkType> linkTypeListener, PacketHandler handler, BooleanSupplier stop)
      throws CaptureFileException {
    return read(file, CaptureFilter.NONE, linkTypeListener, handler, stop);
  }

  /**
   * Reads the packets of {@code file} that pass {@code filter} into {@code handler}.
   *
   * @param linkTypeListener told the file's link type before the first packet
   * @param stop polled before each packet; true ends the read early (Ctrl-C)
   * @return what was read
   */
  public static ReadResult read(
      Path file,
      CaptureFilter filter,
      Consumer<LinkType> linkTypeListener,
      PacketHandler handler,
      BooleanSupplier stop)
      throws CaptureFileException {
    if (!Files.isReadable(file)) {
      throw new CaptureFileException("cannot read capture file " + file, null);
    }
    int magic = CaptureFiles.magic(file);
    if (filter.isNone() && MappedPcapReader.isClassicPcap(magic)) {
      return new ReadResult(MappedPcapReader.read(file, linkTypeListener, handler, stop), 0);
    }
    if (filter.isNone() && magic == MappedPcapngReader.SECTION_HEADER_BLOCK) {
      return new ReadResult(MappedPcapngReader.read(file, linkTypeListener, handler, stop), 0);
    }
    Libpcap.ensureLoadable();
    PcapHandle handle;
    try {
      handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
    } catch (PcapNativeException e) {
      throw new CaptureFileException("cannot open capture file " + file + ": " + e.getMessage(), e);
    }
    if (!filter.isNone()) {
      try {
        // compiled for this file's link type: a filter on Ethernet fields fails on raw IP
        handle.setFilter(filter.expression(), BpfProgram.BpfCompileMode.OPTIMIZE);
      } catch (PcapNativeException | NotOpenException e) {
        handle.close();
        throw new CaptureFileException(
            "capture filter '" + filter + "' does not apply to " + file + ": " + e.getMessage(), e);
      }
    }
    long failuresBefore = CALLBACK_FAILURES.get()[0];
    long packets;
    try {
      linkTypeListener.accept(LinkType.fromDlt(handle.getDlt().value()));
      packets = RawPacketLoop.run(handle, handler, stop);
    } catch (PcapNativeException e) {
      // libpcap reports a truncated or corrupt file here; what was read so far stays counted.
      throw new CaptureFileException("error in capture file " + file + ": " + e.getMessage(), e);
    } catch (NotOpenException e) {
      throw new IllegalStateException("handle closed while reading " + file, e);
    } finally {
      handle.close();
    }
    return new ReadResult(packets, CALLBACK_FAILURES.get()[0] - failuresBefore);
  }
}

package org.argosy.sensor.capture;

import org.argosy.sensor.decode.LinkType;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;

/**
 * Captures from a live interface through libpcap (pcap4j). Reads with the raw-packet loop rather
 * than the blocking getNext calls, which never return on an idle interface; {@link #stop()} from
 * any thread ends {@link #run}. Built by {@link #builder(String)}, which validates everything
 * before opening the interface.
 */
public final class LiveCapture implements AutoCloseable {

  /** An interface that cannot be opened or filtered; the message names it and the reason. */
  public static final class LiveCaptureException extends Exception {
    LiveCaptureException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * libpcap's counters for this capture: packets the kernel handed over, packets it dropped because
   * the buffer was full, and packets the interface (driver) dropped.
   */
  public record Stats(long received, long droppedByKernel, long droppedByInterface) {}

  private final String interfaceName;
  private final PcapHandle handle;
  private volatile boolean stopped;

  private LiveCapture(String interfaceName, PcapHandle handle) {
    this.interfaceName = interfaceName;
    this.handle = handle;
  }

  public static Builder builder(String interfaceName) {
    return new Builder(interfaceName);
  }

  public String interfaceName() {
    return interfaceName;
  }

  public LinkType linkType() {
    return LinkType.fromDlt(handle.getDlt().value());
  }

  /**
   * Hands every captured packet to {@code handler} on the calling thread until {@link #stop()}.
   *
   * @return the number of packets handed over
   */
  public long run(PacketHandler handler) throws LiveCaptureException {
    try {
      return RawPacketLoop.run(handle, handler, () -> stopped);
    } catch (PcapNativeException | NotOpenException e) {
      throw new LiveCaptureException(
          "capture on " + interfaceName + " failed: " + e.getMessage(), e);
    }
  }

  /** Ends {@link #run} soon, from any thread; libpcap wakes the loop even on an idle interface. */
  public void stop() {
    stopped = true;
    RawPacketLoop.breakLoop(handle);
  }

  /** The drop counters so far, from any thread (one at a time); call before {@link #close()}. */
  public synchronized Stats stats() throws LiveCaptureException {
    try {
      PcapStat stat = handle.getStats();
      return new Stats(
          stat.getNumPacketsReceived(),
          stat.getNumPacketsDropped(),
          stat.getNumPacketsDroppedByIf());
    } catch (PcapNativeException | NotOpenException e) {
      throw new LiveCaptureException(
          "no statistics for " + interfaceName + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    handle.close();
  }

  /** The settings of a live capture; {@link #build()} checks them and opens the interface. */
  public static final class Builder {
    private final String interfaceName;
    private int snaplen = 256;
    private boolean promiscuous = true;
    private int bufferSizeBytes = 32 * 1024 * 1024;
    private boolean immediate;
    private int readTimeoutMillis = 100;
    private String filter;

    private Builder(String interfaceName) {
      this.interfaceName = interfaceName;
    }

    /**
     * Bytes kept of each packet (default 256: enough for stacked encapsulations, tunnels and the
     * inner headers; counters use the original length, so a short snaplen loses nothing).
     */
    public Builder snaplen(int bytes) {
      this.snaplen = bytes;
      return this;
    }

    public Builder promiscuous(boolean promiscuous) {
      this.promiscuous = promiscuous;
      return this;
    }

    /** Kernel capture buffer (default 32 MiB): what absorbs bursts before packets are dropped. */
    public Builder bufferSizeBytes(int bytes) {
      this.bufferSizeBytes = bytes;
      return this;
    }

    /** Deliver each packet at once instead of in buffer-sized batches (costs more wake-ups). */
    public Builder immediate(boolean immediate) {
      this.immediate = immediate;
      return this;
    }

    /** How long libpcap may hold packets to batch them when not in immediate mode. */
    public Builder readTimeoutMillis(int millis) {
      this.readTimeoutMillis = millis;
      return this;
    }

    /** A BPF capture filter in tcpdump syntax; null or blank captures everything. */
    public Builder filter(String expression) {
      this.filter = expression;
      return this;
    }

    public LiveCapture build() throws LiveCaptureException {
      if (interfaceName == null || interfaceName.isBlank()) {
        throw new IllegalArgumentException("interface name must not be blank");
      }
      if (snaplen < 64 || snaplen > 262144) {
        throw new IllegalArgumentException(
            "snaplen " + snaplen + " must be between 64 and 262144 bytes");
      }
      if (bufferSizeBytes < 65536) {
        throw new IllegalArgumentException(
            "buffer size " + bufferSizeBytes + " must be at least 65536 bytes");
      }
      if (readTimeoutMillis < 1) {
        throw new IllegalArgumentException("read timeout must be positive");
      }
      Libpcap.ensureLoadable();
      PcapHandle handle;
      try {
        handle =
            new PcapHandle.Builder(interfaceName)
                .snaplen(snaplen)
                .promiscuousMode(
                    promiscuous ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                .bufferSize(bufferSizeBytes)
                .immediateMode(immediate)
                .timeoutMillis(readTimeoutMillis)
                .timestampPrecision(PcapHandle.TimestampPrecision.MICRO)
                .build();
      } catch (PcapNativeException e) {
        throw new LiveCaptureException(
            "cannot capture on " + interfaceName + ": " + e.getMessage(), e);
      }
      if (filter != null && !filter.isBlank()) {
        try {
          handle.setFilter(filter, BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException | NotOpenException e) {
          handle.close();
          throw new LiveCaptureException(
              "bad capture filter '" + filter + "' on " + interfaceName + ": " + e.getMessage(), e);
        }
      }
      return new LiveCapture(interfaceName, handle);
    }
  }
}

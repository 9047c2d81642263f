package org.argosy.sensor.capture;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A BPF filter in tcpdump syntax, checked by libpcap's compiler when it is made, so that a typo is
 * refused before any capture starts. Live captures compile it on their handle; capture files with a
 * filter are read through libpcap, which runs it on every record (see {@link PcapFileReader}).
 */
public final class CaptureFilter {

  /** No filter: every packet. */
  public static final CaptureFilter NONE = new CaptureFilter(null);

  /** The snapshot length the check compiles for: the largest a capture may have. */
  private static final int SNAPLEN = 262_144;

  private final String expression;

  private CaptureFilter(String expression) {
    this.expression = expression;
  }

  /**
   * The filter of {@code expression}; null or blank is {@link #NONE}.
   *
   * @throws IllegalArgumentException with libpcap's message when it does not compile (for Ethernet,
   *     the link type of nearly every capture)
   */
  public static CaptureFilter of(String expression) {
    if (expression == null || expression.isBlank()) {
      return NONE;
    }
    Libpcap.ensureLoadable();
    try {
      BpfProgram program =
          Pcaps.compileFilter(
              SNAPLEN,
              DataLinkType.EN10MB,
              expression,
              BpfProgram.BpfCompileMode.OPTIMIZE,
              netmaskUnknown());
      program.free();
    } catch (PcapNativeException e) {
      throw new IllegalArgumentException(
          "bad capture filter '" + expression + "': " + e.getMessage(), e);
    }
    return new CaptureFilter(expression);
  }

  /** Whether this filter passes every packet. */
  public boolean isNone() {
    return expression == null;
  }

  /** The tcpdump expression; null for {@link #NONE}. */
  public String expression() {
    return expression;
  }

  /** libpcap's PCAP_NETMASK_UNKNOWN: only the "broadcast" primitive needs a netmask. */
  private static Inet4Address netmaskUnknown() {
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are an IPv4 address", e);
    }
  }

  @Override
  public String toString() {
    return isNone() ? "(no filter)" : expression;
  }
}

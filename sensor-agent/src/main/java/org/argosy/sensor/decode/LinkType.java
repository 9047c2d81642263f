package org.argosy.sensor.decode;

/** The libpcap link-layer header types (DLT/LINKTYPE values) the decoder understands. */
public enum LinkType {
  NULL_LOOPBACK(4),
  ETHERNET(0),
  RAW_IP(0),
  LINUX_SLL(16),
  LINUX_SLL2(20),
  PPP(4),
  CISCO_HDLC(4),
  UNSUPPORTED(0);

  private final int uncountedHeaderBytes;

  LinkType(int uncountedHeaderBytes) {
    this.uncountedHeaderBytes = uncountedHeaderBytes;
  }

  /**
   * Link-header bytes in front of each packet that Argus leaves out of its byte counts (measured on
   * the shared corpus): it counts an Ethernet header, but not a cooked-capture (SLL) or loopback
   * pseudo-header, nor a PPP or Cisco HDLC header. The sensor counts the same way, so that bytes
   * agree with Argus on every link type.
   */
  public int uncountedHeaderBytes() {
    return uncountedHeaderBytes;
  }

  /** Maps a libpcap DLT number, as reported by the capture handle or file header. */
  public static LinkType fromDlt(int dlt) {
    return switch (dlt) {
      case 0, 108 -> NULL_LOOPBACK; // DLT_NULL, DLT_LOOP (OpenBSD byte order)
      case 1 -> ETHERNET;
      case 12, 14, 101 -> RAW_IP; // DLT_RAW on various platforms, LINKTYPE_RAW
      case 113 -> LINUX_SLL;
      case 276 -> LINUX_SLL2;
      case 9, 50 -> PPP; // DLT_PPP, DLT_PPP_SERIAL
      case 104 -> CISCO_HDLC;
      default -> UNSUPPORTED;
    };
  }
}

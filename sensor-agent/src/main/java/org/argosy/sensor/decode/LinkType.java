package org.argosy.sensor.decode;

/** The libpcap link-layer header types (DLT/LINKTYPE values) the decoder understands. */
public enum LinkType {
  NULL_LOOPBACK,
  ETHERNET,
  RAW_IP,
  LINUX_SLL,
  LINUX_SLL2,
  UNSUPPORTED;

  /** Maps a libpcap DLT number, as reported by the capture handle or file header. */
  public static LinkType fromDlt(int dlt) {
    return switch (dlt) {
      case 0, 108 -> NULL_LOOPBACK; // DLT_NULL, DLT_LOOP (OpenBSD byte order)
      case 1 -> ETHERNET;
      case 12, 14, 101 -> RAW_IP; // DLT_RAW on various platforms, LINKTYPE_RAW
      case 113 -> LINUX_SLL;
      case 276 -> LINUX_SLL2;
      default -> UNSUPPORTED;
    };
  }
}

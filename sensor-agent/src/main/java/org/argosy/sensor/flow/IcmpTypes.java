package org.argosy.sensor.flow;

/** ICMP and ICMPv6 message types as the flow table needs them, with Argus's state names. */
final class IcmpTypes {

  static final int PROTO_ICMP = 1;
  static final int PROTO_ICMPV6 = 58;

  private IcmpTypes() {}

  static boolean isEcho(int protocol, int type) {
    return protocol == PROTO_ICMP ? type == 0 || type == 8 : type == 128 || type == 129;
  }

  /**
   * Argus's state column for an ICMP flow whose first message had this type and code. Checked
   * against Argus 3.0.8 on the shared corpus: URH, URP, TXD, ECO; ICMPv6 NNS, NRS, MHR, MRQ. The
   * advertisement names (NNA, NRA) follow Argus's naming of the solicitations.
   */
  static String argusState(int protocol, int type, int code) {
    if (protocol == PROTO_ICMP) {
      return switch (type) {
        case 8 -> "ECO";
        case 0 -> "ECR";
        case 3 -> code == 1 ? "URH" : "URP";
        case 4 -> "SRC";
        case 5 -> "RED";
        case 11 -> "TXD";
        case 12 -> "PAR";
        case 13 -> "TST";
        case 14 -> "TSR";
        default -> "UNK";
      };
    }
    return switch (type) {
      case 128 -> "ECO";
      case 129 -> "ECR";
      case 1 -> "URP";
      case 3 -> "TXD";
      case 130 -> "MRQ";
      case 133 -> "NRS";
      case 134 -> "NRA";
      case 135 -> "NNS";
      case 136 -> "NNA";
      case 143 -> "MHR";
      default -> "UNK";
    };
  }
}

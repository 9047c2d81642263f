package org.argosy.sensor.flow;

/** ICMP and ICMPv6 message types as the flow table needs them, with Argus's state names. */
final class IcmpTypes {

  static final int PROTO_ICMP = 1;
  static final int PROTO_ICMPV6 = 58;

  private IcmpTypes() {}

  static boolean isEcho(int protocol, int type) {
    return protocol == PROTO_ICMP ? type == 0 || type == 8 : type == 128 || type == 129;
  }

  /** Argus's state column for an ICMP flow whose first message had this type. */
  static String argusState(int protocol, int type) {
    if (protocol == PROTO_ICMP) {
      return switch (type) {
        case 8 -> "ECO";
        case 0 -> "ECR";
        case 3 -> "URP";
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
      case 135 -> "NDS";
      case 136 -> "NDA";
      case 133 -> "RTS";
      case 134 -> "RTA";
      default -> "UNK";
    };
  }
}

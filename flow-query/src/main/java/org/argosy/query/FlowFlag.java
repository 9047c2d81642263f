package org.argosy.query;

/**
 * The bits of {@code FlowRecord.flags}, and the positional {@code flgs} column Argus prints from
 * them: encapsulation ({@code e} Ethernet, {@code v} 802.1Q, {@code m} MPLS, {@code t} tunnel,
 * {@code *} several), then retransmission or out of order ({@code s}, {@code o}), fragments ({@code
 * f}), IP options ({@code O}); a blank where nothing is set.
 */
public enum FlowFlag {
  ETHERNET(1),
  VLAN(2),
  MPLS(4),
  TUNNEL(8),
  RETRANSMISSION(16),
  OUT_OF_ORDER(32),
  FRAGMENTS(64),
  IP_OPTIONS(128);

  private final int bit;

  FlowFlag(int bit) {
    this.bit = bit;
  }

  public int bit() {
    return bit;
  }

  public boolean isSet(int flags) {
    return (flags & bit) != 0;
  }

  /** The {@code flgs} column for a record's flags. */
  public static String format(int flags) {
    char[] positions = {' ', ' ', ' ', ' ', ' '};
    int encapsulations = Integer.bitCount(flags & (VLAN.bit | MPLS.bit | TUNNEL.bit));
    if (encapsulations > 1) {
      positions[0] = '*';
    } else if (VLAN.isSet(flags)) {
      positions[0] = 'v';
    } else if (MPLS.isSet(flags)) {
      positions[0] = 'm';
    } else if (TUNNEL.isSet(flags)) {
      positions[0] = 't';
    } else if (ETHERNET.isSet(flags)) {
      positions[0] = 'e';
    }
    if (RETRANSMISSION.isSet(flags)) {
      positions[1] = 's';
    } else if (OUT_OF_ORDER.isSet(flags)) {
      positions[1] = 'o';
    }
    if (FRAGMENTS.isSet(flags)) {
      positions[2] = 'f';
    }
    if (IP_OPTIONS.isSet(flags)) {
      positions[3] = 'O';
    }
    return new String(positions);
  }
}

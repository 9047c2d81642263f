package org.argosy.query;

import java.util.Map;

/** IP protocol numbers as Argus prints them. */
public final class ProtocolNames {

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(1, "icmp"),
          Map.entry(2, "igmp"),
          Map.entry(4, "ipnip"),
          Map.entry(6, "tcp"),
          Map.entry(17, "udp"),
          Map.entry(41, "ipv6"),
          Map.entry(47, "gre"),
          Map.entry(50, "esp"),
          Map.entry(51, "ah"),
          Map.entry(58, "ipv6-icmp"),
          Map.entry(89, "ospf"),
          Map.entry(103, "pim"),
          Map.entry(112, "vrrp"),
          Map.entry(132, "sctp"));

  private ProtocolNames() {}

  /** The number of the protocol Argus calls {@code name}, or null. */
  public static Integer number(String name) {
    for (Map.Entry<Integer, String> entry : NAMES.entrySet()) {
      if (entry.getValue().equals(name)) {
        return entry.getKey();
      }
    }
    return null;
  }

  /** The name, or the number as text when it has none. */
  public static String name(int protocol) {
    return NAMES.getOrDefault(protocol, Integer.toString(protocol));
  }
}

package org.argosy.tools.print;

import java.util.Map;

/**
 * Names of well-known ports as Argus prints them without {@code -n} ({@code ssh}, {@code domain}).
 * Built in rather than read from /etc/services, so that output does not depend on the machine.
 */
public final class ServiceNames {

  private static final Map<Integer, String> TCP_AND_UDP =
      Map.ofEntries(
          Map.entry(20, "ftp-data"),
          Map.entry(21, "ftp"),
          Map.entry(22, "ssh"),
          Map.entry(23, "telnet"),
          Map.entry(25, "smtp"),
          Map.entry(53, "domain"),
          Map.entry(67, "bootps"),
          Map.entry(68, "bootpc"),
          Map.entry(69, "tftp"),
          Map.entry(80, "http"),
          Map.entry(110, "pop3"),
          Map.entry(111, "sunrpc"),
          Map.entry(123, "ntp"),
          Map.entry(137, "netbios-ns"),
          Map.entry(138, "netbios-dgm"),
          Map.entry(139, "netbios-ssn"),
          Map.entry(143, "imap2"),
          Map.entry(161, "snmp"),
          Map.entry(162, "snmp-trap"),
          Map.entry(179, "bgp"),
          Map.entry(389, "ldap"),
          Map.entry(443, "https"),
          Map.entry(445, "microsoft-ds"),
          Map.entry(514, "syslog"),
          Map.entry(587, "submission"),
          Map.entry(636, "ldaps"),
          Map.entry(873, "rsync"),
          Map.entry(993, "imaps"),
          Map.entry(995, "pop3s"),
          Map.entry(1194, "openvpn"),
          Map.entry(1433, "ms-sql-s"),
          Map.entry(1521, "ncube-lm"),
          Map.entry(2049, "nfs"),
          Map.entry(3306, "mysql"),
          Map.entry(3389, "ms-wbt-server"),
          Map.entry(5353, "mdns"),
          Map.entry(5432, "postgresql"),
          Map.entry(6379, "redis"),
          Map.entry(8080, "http-alt"),
          Map.entry(9092, "XmlIpcRegSvc"));

  private ServiceNames() {}

  /** The port's service name, or the number as text. */
  public static String name(int port) {
    return TCP_AND_UDP.getOrDefault(port, Integer.toString(port));
  }
}

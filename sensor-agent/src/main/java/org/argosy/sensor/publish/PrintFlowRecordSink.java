package org.argosy.sensor.publish;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.HexFormat;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.MacAddress;
import org.argosy.query.IpAddresses;
import org.argosy.query.ProtocolNames;

/**
 * Prints one readable line per record, for debugging, in the spirit of {@code ra}: start time,
 * cause, protocol, source and destination with ports (ICMP type/code, or MACs and ethertype for L2
 * flows), direction, packets and bytes per side, state.
 */
public final class PrintFlowRecordSink implements FlowRecordSink {

  private static final int ETHERTYPE_ARP = 0x0806;

  private final PrintWriter out;

  public PrintFlowRecordSink(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void send(FlowRecord record, long conversationHash) {
    out.println(format(record));
  }

  /** The line printed for {@code r}. */
  public static String format(FlowRecord r) {
    String proto;
    String source;
    String destination;
    if (r.getSaddr() == null) {
      proto = String.format("0x%04x", r.getEtherType());
      source = mac(r.getSmac());
      destination = mac(r.getDmac());
    } else {
      proto =
          r.getProto() != null
              ? ProtocolNames.name(r.getProto())
              : r.getEtherType() == ETHERTYPE_ARP
                  ? "arp"
                  : String.format("0x%04x", r.getEtherType());
      source = IpAddresses.format(r.getSaddr()) + port(r.getSport());
      destination =
          IpAddresses.format(r.getDaddr())
              + (r.getIcmpType() != null
                  ? " type " + r.getIcmpType() + " code " + r.getIcmpCode()
                  : port(r.getDport()));
    }
    return String.join(
        " ",
        Instant.ofEpochSecond(r.getStime() / 1_000_000, r.getStime() % 1_000_000 * 1000).toString(),
        r.getCause().name().toLowerCase(),
        proto,
        source,
        r.getDirection(),
        destination,
        "pkts " + r.getSpkts() + "/" + r.getDpkts(),
        "bytes " + r.getSbytes() + "/" + r.getDbytes(),
        r.getState());
  }

  private static String port(Integer port) {
    return port == null ? "" : "." + port;
  }

  private static String mac(MacAddress mac) {
    return mac == null ? "-" : HexFormat.ofDelimiter(":").formatHex(mac.bytes());
  }

  @Override
  public void flush() {
    out.flush();
  }

  /** Flushes; the writer belongs to the caller (usually standard output) and stays open. */
  @Override
  public void close() {
    out.flush();
  }
}

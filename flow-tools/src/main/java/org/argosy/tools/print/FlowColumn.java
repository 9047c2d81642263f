package org.argosy.tools.print;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.MacAddress;
import org.argosy.query.AggregateMetrics;
import org.argosy.query.FlowFlag;
import org.argosy.query.InvalidQueryException;
import org.argosy.query.IpAddresses;
import org.argosy.query.MacAddresses;
import org.argosy.query.ProtocolNames;

/**
 * The columns {@code ra -s} can print, by their Argus field names, with Argus's titles and widths.
 * Times are UTC; without {@code -n} well-known ports print as service names.
 */
public enum FlowColumn implements Column {
  STIME("stime", "StartTime", 15, false, (r, n) -> time(r.getStime())),
  LTIME("ltime", "LastTime", 15, false, (r, n) -> time(r.getLtime())),
  DUR("dur", "Dur", 10, true, (r, n) -> seconds(r.getLtime() - r.getStime())),
  FLGS("flgs", "Flgs", 5, false, (r, n) -> FlowFlag.format(r.getFlags())),
  PROTO("proto", "Proto", 5, false, (r, n) -> proto(r)),
  SADDR("saddr", "SrcAddr", 15, true, (r, n) -> address(r, true)),
  SPORT("sport", "Sport", 12, false, (r, n) -> port(r, true, n)),
  DIR("dir", "Dir", 5, false, (r, n) -> r.getDirection()),
  DADDR("daddr", "DstAddr", 15, true, (r, n) -> address(r, false)),
  DPORT("dport", "Dport", 12, false, (r, n) -> port(r, false, n)),
  SPKTS("spkts", "SrcPkts", 8, true, (r, n) -> Long.toString(r.getSpkts())),
  DPKTS("dpkts", "DstPkts", 8, true, (r, n) -> Long.toString(r.getDpkts())),
  PKTS("pkts", "TotPkts", 8, true, (r, n) -> Long.toString(r.getSpkts() + r.getDpkts())),
  SBYTES("sbytes", "SrcBytes", 10, true, (r, n) -> Long.toString(r.getSbytes())),
  DBYTES("dbytes", "DstBytes", 10, true, (r, n) -> Long.toString(r.getDbytes())),
  BYTES("bytes", "TotBytes", 10, true, (r, n) -> Long.toString(r.getSbytes() + r.getDbytes())),
  SAPPBYTES("sappbytes", "SAppBytes", 10, true, (r, n) -> Long.toString(r.getSappbytes())),
  DAPPBYTES("dappbytes", "DAppBytes", 10, true, (r, n) -> Long.toString(r.getDappbytes())),
  STATE("state", "State", 5, false, (r, n) -> r.getState()),
  LOAD("load", "Load", 12, true, (r, n) -> load(r)),
  RATE("rate", "Rate", 12, true, (r, n) -> perSecond(r.getSpkts() + r.getDpkts(), r)),
  STOS("stos", "sTos", 4, true, (r, n) -> text(r.getStos())),
  DTOS("dtos", "dTos", 4, true, (r, n) -> text(r.getDtos())),
  STTL("sttl", "sTtl", 4, true, (r, n) -> text(r.getSttl())),
  DTTL("dttl", "dTtl", 4, true, (r, n) -> text(r.getDttl())),
  SMAC("smac", "SrcMac", 17, false, (r, n) -> mac(r.getSmac())),
  DMAC("dmac", "DstMac", 17, false, (r, n) -> mac(r.getDmac())),
  VLAN(
      "vlan",
      "sVlan",
      5,
      true,
      (r, n) -> r.getVlanIds().isEmpty() ? "" : r.getVlanIds().get(0).toString()),
  MPLS(
      "mpls",
      "sMpls",
      7,
      true,
      (r, n) -> r.getMplsLabels().isEmpty() ? "" : r.getMplsLabels().get(0).toString()),
  SRCID("srcid", "SrcId", 12, false, (r, n) -> r.getSensorId()),
  SITE("site", "Site", 8, false, (r, n) -> r.getSite()),
  INF("inf", "Inf", 8, false, (r, n) -> r.getIface()),
  SEQ("seq", "Seq", 10, true, (r, n) -> Long.toString(r.getSeq())),
  CAUSE("cause", "Cause", 7, false, (r, n) -> r.getCause().name());

  /** Argus's default columns for ra. */
  public static final List<FlowColumn> DEFAULT =
      List.of(STIME, FLGS, PROTO, SADDR, SPORT, DIR, DADDR, DPORT, PKTS, BYTES, STATE);

  private static final DateTimeFormatter TIME_OF_DAY =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Reads a column's text from a record; {@code numeric} is ra's -n. */
  @FunctionalInterface
  private interface Reader {
    String read(FlowRecord record, boolean numeric);
  }

  private final String argusName;
  private final String title;
  private final int width;
  private final boolean rightAligned;
  private final Reader reader;

  FlowColumn(String argusName, String title, int width, boolean rightAligned, Reader reader) {
    this.argusName = argusName;
    this.title = title;
    this.width = width;
    this.rightAligned = rightAligned;
    this.reader = reader;
  }

  @Override
  public String argusName() {
    return argusName;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public boolean rightAligned() {
    return rightAligned;
  }

  @Override
  public boolean numeric() {
    return rightAligned && this != SADDR && this != DADDR;
  }

  public String valueOf(FlowRecord record, boolean numeric) {
    String value = reader.read(record, numeric);
    return value == null ? "" : value;
  }

  /** Parses {@code -s} names. */
  public static List<FlowColumn> parse(List<String> names) {
    return names.stream().map(FlowColumn::byArgusName).toList();
  }

  private static FlowColumn byArgusName(String name) {
    for (FlowColumn column : values()) {
      if (column.argusName.equals(name)) {
        return column;
      }
    }
    throw new InvalidQueryException(
        "unknown field '"
            + name
            + "' after -s; known fields: "
            + Arrays.stream(values()).map(FlowColumn::argusName).collect(Collectors.joining(" ")));
  }

  private static String time(long micros) {
    return TIME_OF_DAY.format(Instant.EPOCH.plusNanos(micros * 1000));
  }

  private static String seconds(long micros) {
    return String.format(Locale.ROOT, "%.6f", micros / 1e6);
  }

  private static String load(FlowRecord r) {
    double dur = (r.getLtime() - r.getStime()) / 1e6;
    return String.format(
        Locale.ROOT,
        "%.6f",
        AggregateMetrics.recordLoad(r.getSpkts(), r.getSbytes(), r.getDpkts(), r.getDbytes(), dur));
  }

  private static String perSecond(long amount, FlowRecord r) {
    long micros = r.getLtime() - r.getStime();
    return String.format(Locale.ROOT, "%.6f", micros <= 0 ? 0.0 : amount * 1e6 / micros);
  }

  private static String proto(FlowRecord r) {
    if (r.getProto() == null) {
      return String.format(Locale.ROOT, "0x%04x", r.getEtherType());
    }
    return ProtocolNames.name(r.getProto()); // Argus names protocols even with -n
  }

  private static String address(FlowRecord r, boolean source) {
    if (r.getSaddr() == null) {
      return mac(source ? r.getSmac() : r.getDmac());
    }
    return IpAddresses.format(source ? r.getSaddr() : r.getDaddr());
  }

  private static String port(FlowRecord r, boolean source, boolean numeric) {
    if (r.getIcmpType() != null) {
      return Integer.toString(source ? r.getIcmpType() : r.getIcmpCode());
    }
    Integer port = source ? r.getSport() : r.getDport();
    if (port == null) {
      return "";
    }
    return numeric ? port.toString() : ServiceNames.name(port);
  }

  private static String text(Integer value) {
    return value == null ? "" : value.toString();
  }

  private static String mac(MacAddress mac) {
    return mac == null ? "" : MacAddresses.format(mac);
  }
}

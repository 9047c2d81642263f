package org.argosy.query;

import java.util.List;
import java.util.function.Function;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.MacAddress;

/**
 * The flow fields a cluster key ({@code -m}) may name, by their Argus names, each with how its
 * value is read from a record and printed. Values are Argus's numeric ({@code -n}) text; a field
 * the record does not have is the empty string.
 */
public enum FlowKeyField {
  PROTO("proto", r -> text(r.getProto())),
  SADDR("saddr", r -> r.getSaddr() == null ? "" : IpAddresses.format(r.getSaddr())),
  DADDR("daddr", r -> r.getDaddr() == null ? "" : IpAddresses.format(r.getDaddr())),
  SPORT("sport", r -> text(r.getSport())),
  DPORT("dport", r -> text(r.getDport())),
  SMAC("smac", r -> mac(r.getSmac())),
  DMAC("dmac", r -> mac(r.getDmac())),
  STOS("stos", r -> text(r.getStos())),
  DTOS("dtos", r -> text(r.getDtos())),
  STTL("sttl", r -> text(r.getSttl())),
  DTTL("dttl", r -> text(r.getDttl())),
  VLAN("vlan", r -> first(r.getVlanIds())),
  MPLS("mpls", r -> first(r.getMplsLabels())),
  ETYPE("etype", r -> Integer.toString(r.getEtherType())),
  SRCID("srcid", FlowRecord::getSensorId),
  SITE("site", FlowRecord::getSite),
  IFACE("inf", FlowRecord::getIface);

  private final String argusName;
  private final Function<FlowRecord, String> reader;

  FlowKeyField(String argusName, Function<FlowRecord, String> reader) {
    this.argusName = argusName;
    this.reader = reader;
  }

  public String argusName() {
    return argusName;
  }

  /** Whether {@code saddr/24}-style masks apply. */
  public boolean isAddress() {
    return this == SADDR || this == DADDR;
  }

  public String valueOf(FlowRecord record) {
    return reader.apply(record);
  }

  /** The field called {@code name} by Argus, or null. */
  public static FlowKeyField byArgusName(String name) {
    for (FlowKeyField field : values()) {
      if (field.argusName.equals(name)) {
        return field;
      }
    }
    return null;
  }

  private static String text(Integer value) {
    return value == null ? "" : value.toString();
  }

  private static String first(List<Integer> values) {
    return values.isEmpty() ? "" : values.get(0).toString();
  }

  private static String mac(MacAddress mac) {
    return mac == null ? "" : MacAddresses.format(mac);
  }
}

package org.argosy.tools.print;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.query.AggregateMetrics;
import org.argosy.query.ProtocolNames;

/**
 * A column of racluster and rasort output: one of the aggregate's key fields (as -m named it), or a
 * metric of the merged counters (trans, pkts, bytes, load, ...), by Argus's field names.
 */
public final class AggregateColumn implements Column {

  private static final DateTimeFormatter TIME_OF_DAY =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The metrics, by Argus name: title, width, value. */
  private enum Metric {
    TRANS("trans", "Trans", 6, a -> Long.toString(a.getTrans())),
    PKTS("pkts", "TotPkts", 8, a -> Long.toString(AggregateMetrics.pkts(a))),
    BYTES("bytes", "TotBytes", 10, a -> Long.toString(AggregateMetrics.bytes(a))),
    SPKTS("spkts", "SrcPkts", 8, a -> Long.toString(a.getSpkts())),
    DPKTS("dpkts", "DstPkts", 8, a -> Long.toString(a.getDpkts())),
    SBYTES("sbytes", "SrcBytes", 10, a -> Long.toString(a.getSbytes())),
    DBYTES("dbytes", "DstBytes", 10, a -> Long.toString(a.getDbytes())),
    SAPPBYTES("sappbytes", "SAppBytes", 10, a -> Long.toString(a.getSappbytes())),
    DAPPBYTES("dappbytes", "DAppBytes", 10, a -> Long.toString(a.getDappbytes())),
    LOAD("load", "Load", 14, a -> decimal(AggregateMetrics.load(a))),
    RATE("rate", "Rate", 12, a -> decimal(AggregateMetrics.rate(a))),
    DUR("dur", "Dur", 10, a -> decimal(AggregateMetrics.dur(a))),
    STIME("stime", "StartTime", 15, a -> time(a.getStime())),
    LTIME("ltime", "LastTime", 15, a -> time(a.getLtime()));

    final String name;
    final String title;
    final int width;
    final Function<FlowAggregate, String> value;

    Metric(String name, String title, int width, Function<FlowAggregate, String> value) {
      this.name = name;
      this.title = title;
      this.width = width;
      this.value = value;
    }
  }

  private final String name;
  private final Metric metric;
  private final boolean numericPorts;

  /** Worked out once: a table asks for them on every row. */
  private final String title;

  private final int width;

  private AggregateColumn(String name, Metric metric, boolean numericPorts) {
    this.name = name;
    this.metric = metric;
    this.numericPorts = numericPorts;
    this.title = metric != null ? metric.title : KeyTitles.title(name);
    this.width = metric != null ? metric.width : KeyTitles.width(name);
  }

  /**
   * The column called {@code name}: a metric, else one of {@code keyNames}.
   *
   * @param numericPorts -n: ports as numbers rather than service names
   * @throws IllegalArgumentException naming the unknown column and what is known
   */
  public static AggregateColumn of(String name, List<String> keyNames, boolean numericPorts) {
    for (Metric metric : Metric.values()) {
      if (metric.name.equals(name)) {
        return new AggregateColumn(name, metric, numericPorts);
      }
    }
    if (keyNames.contains(name)) {
      return new AggregateColumn(name, null, numericPorts);
    }
    throw new org.argosy.query.InvalidQueryException(
        "unknown field '"
            + name
            + "' after -s; this input has key fields "
            + keyNames
            + " and metrics "
            + java.util.Arrays.stream(Metric.values()).map(m -> m.name).toList());
  }

  public String valueOf(FlowAggregate aggregate) {
    if (metric != null) {
      return metric.value.apply(aggregate);
    }
    for (KeyField field : aggregate.getKey()) {
      if (field.getName().equals(name)) {
        return display(field);
      }
    }
    return "";
  }

  /** A key field value as people read it: protocol names, and service names unless -n. */
  public String display(KeyField field) {
    String value = field.getValue();
    if (value.isEmpty()) {
      return value;
    }
    if (field.getName().equals("proto")) {
      return ProtocolNames.name(Integer.parseInt(value));
    }
    if (!numericPorts && (field.getName().equals("sport") || field.getName().equals("dport"))) {
      return ServiceNames.name(Integer.parseInt(value));
    }
    return value;
  }

  @Override
  public String argusName() {
    return name;
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
    return metric != null;
  }

  @Override
  public boolean numeric() {
    return metric != null && metric != Metric.STIME && metric != Metric.LTIME;
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }

  private static String time(long micros) {
    return TIME_OF_DAY.format(Instant.EPOCH.plusNanos(micros * 1000));
  }
}

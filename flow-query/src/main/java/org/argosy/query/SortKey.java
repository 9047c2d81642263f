package org.argosy.query;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.argosy.avro.FlowAggregate;

/** The rasort {@code -m} keys an aggregate can be ranked by; counters sort largest first. */
public enum SortKey {
  BYTES("bytes", AggregateMetrics::bytes),
  PKTS("pkts", AggregateMetrics::pkts),
  SBYTES("sbytes", FlowAggregate::getSbytes),
  DBYTES("dbytes", FlowAggregate::getDbytes),
  SPKTS("spkts", FlowAggregate::getSpkts),
  DPKTS("dpkts", FlowAggregate::getDpkts),
  SAPPBYTES("sappbytes", FlowAggregate::getSappbytes),
  DAPPBYTES("dappbytes", FlowAggregate::getDappbytes),
  TRANS("trans", FlowAggregate::getTrans),
  LOAD("load", AggregateMetrics::load),
  RATE("rate", AggregateMetrics::rate),
  DUR("dur", AggregateMetrics::dur);

  /** Reads the value to sort by. */
  @FunctionalInterface
  private interface Metric {
    double of(FlowAggregate aggregate);
  }

  private final String argusName;
  private final Metric metric;

  SortKey(String argusName, Metric metric) {
    this.argusName = argusName;
    this.metric = metric;
  }

  public String argusName() {
    return argusName;
  }

  public double valueOf(FlowAggregate aggregate) {
    return metric.of(aggregate);
  }

  public static SortKey byArgusName(String name) {
    for (SortKey key : values()) {
      if (key.argusName.equals(name)) {
        return key;
      }
    }
    throw new InvalidQueryException(
        "unknown sort key '"
            + name
            + "'; known keys: "
            + Arrays.stream(values()).map(SortKey::argusName).collect(Collectors.joining(" ")));
  }
}

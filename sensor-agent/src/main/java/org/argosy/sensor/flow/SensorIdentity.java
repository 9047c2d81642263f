package org.argosy.sensor.flow;

/** Who emitted a record: carried on every flow record so that many sites can share topics. */
public record SensorIdentity(String site, String sensorId, String iface) {
  public SensorIdentity {
    if (site.isBlank() || sensorId.isBlank()) {
      throw new IllegalArgumentException("site and sensor id must not be blank");
    }
  }
}

package org.argosy.sensor.ops;

import java.net.InetSocketAddress;
import java.util.Map;
import org.argosy.sensor.SensorCounters;
import org.argosy.sensor.decode.SkipReason;
import org.argosy.sensor.delivery.DeliveryCounters;

/** The sensor's metrics and health, served by an {@link OpsServer}. */
public final class SensorMetrics {

  private SensorMetrics() {}

  /**
   * Serves the sensor's counters at {@code hostPort} (e.g. 127.0.0.1:9464).
   *
   * @param delivery the Kafka delivery's counters, or null when the sensor does not publish
   */
  public static OpsServer serve(String hostPort, SensorCounters sensor, DeliveryCounters delivery) {
    int colon = hostPort.lastIndexOf(':');
    InetSocketAddress address =
        new InetSocketAddress(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    return new OpsServer(address, registry(sensor, delivery), () -> problem(delivery));
  }

  static MetricsRegistry registry(SensorCounters sensor, DeliveryCounters delivery) {
    MetricsRegistry metrics =
        new MetricsRegistry()
            .counter("argosy_sensor_packets_total", "Packets read, metered or not", sensor::packets)
            .counter(
                "argosy_sensor_wire_bytes_total",
                "Bytes on the wire of the packets read",
                sensor::wireBytes)
            .counter("argosy_sensor_records_total", "Flow records emitted", sensor::records);
    for (SkipReason reason : SkipReason.values()) {
      metrics.register(
          "argosy_sensor_decode_errors_total",
          "Packets not metered, by reason",
          MetricsRegistry.Type.COUNTER,
          Map.of("reason", reason.name().toLowerCase()),
          () -> sensor.skipped().getOrDefault(reason, 0L));
    }
    if (delivery != null) {
      metrics
          .counter(
              "argosy_delivery_accepted_total",
              "Records handed to Kafka delivery",
              delivery::accepted)
          .counter("argosy_delivery_sent_total", "Records acknowledged by Kafka", delivery::sent)
          .counter(
              "argosy_delivery_spooled_total",
              "Records written to the disk spool",
              delivery::spooled)
          .counter(
              "argosy_delivery_dropped_total", "Records lost to a full spool", delivery::dropped)
          .counter(
              "argosy_delivery_send_failures_total",
              "Failed sends, retried",
              delivery::sendFailures);
    }
    return metrics;
  }

  private static String problem(DeliveryCounters delivery) {
    if (delivery != null && delivery.dropped() > 0) {
      return delivery.dropped() + " flow records were dropped because the spool was full";
    }
    return null;
  }
}

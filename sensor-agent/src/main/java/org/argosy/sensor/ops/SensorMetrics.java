package org.argosy.sensor.ops;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.argosy.sensor.SensorCounters;
import org.argosy.sensor.capture.LiveCapture;
import org.argosy.sensor.decode.SkipReason;
import org.argosy.sensor.delivery.DeliveryCounters;

/** The sensor's metrics and health, served by an {@link OpsServer}. */
public final class SensorMetrics {

  private SensorMetrics() {}

  /** The quantiles of the latency summaries. */
  static final List<Double> QUANTILES = List.of(0.5, 0.9, 0.99);

  /**
   * Serves the sensor's counters at {@code hostPort} (e.g. 127.0.0.1:9464).
   *
   * @param delivery the Kafka delivery's counters, or null when the sensor does not publish
   * @param captures the live captures, whose libpcap counters are read at each scrape
   */
  public static OpsServer serve(
      String hostPort,
      SensorCounters sensor,
      DeliveryCounters delivery,
      List<LiveCapture> captures) {
    int colon = hostPort.lastIndexOf(':');
    InetSocketAddress address =
        new InetSocketAddress(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    MetricsRegistry metrics = registry(sensor, delivery);
    captures.forEach(capture -> registerCapture(metrics, capture));
    return new OpsServer(address, metrics, () -> problem(delivery));
  }

  /**
   * libpcap's counters of a live interface: packets the kernel handed to the capture socket (before
   * the drops below), dropped by the kernel because the capture buffer was full, and dropped by the
   * interface or its driver.
   */
  static void registerCapture(MetricsRegistry metrics, LiveCapture capture) {
    Map<String, String> labels = Map.of("interface", capture.interfaceName());
    metrics
        .register(
            "argosy_capture_received_packets_total",
            "Packets libpcap received on the interface, including those it then dropped",
            MetricsRegistry.Type.COUNTER,
            labels,
            () -> stat(capture, LiveCapture.Stats::received))
        .register(
            "argosy_capture_kernel_dropped_packets_total",
            "Packets the kernel dropped because the capture buffer was full (ps_drop)",
            MetricsRegistry.Type.COUNTER,
            labels,
            () -> stat(capture, LiveCapture.Stats::droppedByKernel))
        .register(
            "argosy_capture_interface_dropped_packets_total",
            "Packets the interface or its driver dropped (ps_ifdrop)",
            MetricsRegistry.Type.COUNTER,
            labels,
            () -> stat(capture, LiveCapture.Stats::droppedByInterface));
  }

  /** A libpcap counter, NaN when libpcap cannot tell (the capture failed or is closed). */
  private static double stat(LiveCapture capture, ToLongFunction<LiveCapture.Stats> counter) {
    try {
      return counter.applyAsLong(capture.stats());
    } catch (LiveCapture.LiveCaptureException | IllegalStateException e) {
      return Double.NaN;
    }
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
              delivery::sendFailures)
          .gauge(
              "argosy_delivery_spool_bytes",
              "Bytes of records waiting in the disk spool",
              delivery::spoolBytes)
          .gauge(
              "argosy_delivery_queued_records",
              "Records in the memory queue, being sent or waiting",
              delivery::queued)
          .summary(
              "argosy_delivery_latency_seconds",
              "From a record handed to delivery to Kafka's acknowledgement (memory queue, last"
                  + " minute; records replayed from the spool are not counted)",
              QUANTILES,
              q -> delivery.latency().quantileMicros(q) / 1e6,
              () -> delivery.latency().sumMicros() / 1e6,
              () -> delivery.latency().count());
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

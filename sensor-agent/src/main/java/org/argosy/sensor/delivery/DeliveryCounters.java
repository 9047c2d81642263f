package org.argosy.sensor.delivery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** What happened to the records handed to a {@link ReliableKafkaSink}; read by metrics. */
public final class DeliveryCounters {
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong spooled = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong sendFailures = new AtomicLong();
  final LatencyHistogram latency = new LatencyHistogram(Duration.ofMinutes(1));
  volatile LongSupplier spoolBytes = () -> 0;
  volatile LongSupplier queued = () -> 0;

  /** Records handed to the sink. */
  public long accepted() {
    return accepted.get();
  }

  /** Records acknowledged by Kafka. */
  public long sent() {
    return sent.get();
  }

  /** Records written to the disk spool because Kafka was slow or away. */
  public long spooled() {
    return spooled.get();
  }

  /** Records lost because the spool was full; each is logged. */
  public long dropped() {
    return dropped.get();
  }

  /** Sends Kafka failed (they are retried, not lost). */
  public long sendFailures() {
    return sendFailures.get();
  }

  /**
   * From a record being handed to the sink to Kafka acknowledging it (retries included), for the
   * records that went through the memory queue; records that waited in the spool are not in it
   * (their delay is the outage: see the spool metrics).
   */
  public LatencyHistogram latency() {
    return latency;
  }

  /** Bytes waiting in the disk spool now. */
  public long spoolBytes() {
    return spoolBytes.getAsLong();
  }

  /** Records in the memory queue now, including those being sent. */
  public long queued() {
    return queued.getAsLong();
  }

  @Override
  public String toString() {
    return accepted()
        + " accepted, "
        + sent()
        + " sent, "
        + spooled()
        + " spooled, "
        + dropped()
        + " dropped, "
        + sendFailures()
        + " send failures retried";
  }
}

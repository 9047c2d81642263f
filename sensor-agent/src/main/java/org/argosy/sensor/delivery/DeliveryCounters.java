package org.argosy.sensor.delivery;

import java.util.concurrent.atomic.AtomicLong;

/** What happened to the records handed to a {@link ReliableKafkaSink}; read by metrics. */
public final class DeliveryCounters {
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong spooled = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong sendFailures = new AtomicLong();

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

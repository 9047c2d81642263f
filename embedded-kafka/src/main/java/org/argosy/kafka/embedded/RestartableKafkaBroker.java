package org.argosy.kafka.embedded;

/**
 * A broker whose process can fail: stopped cleanly, killed, and started again on the same port with
 * the same data, as fault tests need (a broker outage mid-capture, a crash).
 */
public interface RestartableKafkaBroker extends KafkaBroker {

  /** Stops the broker process (SIGTERM, controlled shutdown) and keeps its data. */
  void stop();

  /** Kills the broker process (SIGKILL) and keeps what it had written to disk. */
  void kill();

  /** Starts the stopped or killed broker again on the same port and data; returns once ready. */
  void restart();

  /** Whether the broker process is running. */
  boolean isRunning();
}

package org.argosy.sensor.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every record lost to a full spool by its sequence number, as runs of consecutive numbers
 * ("seq 1200-1999, 800 records") so that a long outage logs a few lines, not millions.
 */
final class DroppedRecordLog {

  private static final Logger LOG = LoggerFactory.getLogger(DroppedRecordLog.class);
  private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;

  private long firstSeq = -1;
  private long lastSeq = -1;
  private long lastReport = System.nanoTime();

  synchronized void dropped(long seq) {
    if (firstSeq >= 0 && seq != lastSeq + 1) {
      report();
    }
    if (firstSeq < 0) {
      firstSeq = seq;
    }
    lastSeq = seq;
    if (System.nanoTime() - lastReport > REPORT_INTERVAL_NANOS) {
      report();
    }
  }

  synchronized void report() {
    if (firstSeq >= 0) {
      LOG.warn(
          "spool full: dropped flow records seq {}-{} ({} records)",
          firstSeq,
          lastSeq,
          lastSeq - firstSeq + 1);
    }
    firstSeq = -1;
    lastReport = System.nanoTime();
  }
}

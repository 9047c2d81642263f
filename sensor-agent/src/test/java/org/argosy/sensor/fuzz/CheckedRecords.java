package org.argosy.sensor.fuzz;

import org.argosy.avro.FlowRecord;
import org.argosy.sensor.publish.FlowRecordSink;

/**
 * A sink that keeps no record but checks each against what any record the sensor writes must
 * satisfy, whatever the packets were: counters not negative, at least one packet, {@code ltime >=
 * stime}, sequence numbers one after the other. A violation throws out of the sensor.
 */
final class CheckedRecords implements FlowRecordSink {

  private long records;
  private long lastSeq = -1;

  @Override
  public void send(FlowRecord r, long conversationHash) {
    if (r.getSpkts() < 0
        || r.getDpkts() < 0
        || r.getSbytes() < 0
        || r.getDbytes() < 0
        || r.getSappbytes() < 0
        || r.getDappbytes() < 0
        || r.getSpkts() + r.getDpkts() < 1
        || r.getLtime() < r.getStime()
        || (lastSeq >= 0 && r.getSeq() != lastSeq + 1)) {
      throw new AssertionError("implausible record after sequence " + lastSeq + ": " + r);
    }
    lastSeq = r.getSeq();
    records++;
  }

  long records() {
    return records;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}

package org.argosy.sensor.publish;

import org.argosy.avro.FlowRecord;

/** Where a sensor's flow records go: Kafka, a file, or a test's list. */
public interface FlowRecordSink extends AutoCloseable {

  /**
   * Hands over one record.
   *
   * @param conversationHash the same for every record of one conversation (partitioning key)
   */
  void send(FlowRecord record, long conversationHash);

  /** Blocks until every record sent so far is stored; throws if any could not be. */
  void flush();

  @Override
  void close();
}

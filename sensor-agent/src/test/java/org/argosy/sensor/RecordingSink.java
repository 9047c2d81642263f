package org.argosy.sensor;

import java.util.ArrayList;
import java.util.List;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.publish.FlowRecordSink;

/** Keeps the records a sensor sends, for assertions. */
final class RecordingSink implements FlowRecordSink {
  final List<FlowRecord> records = new ArrayList<>();

  @Override
  public void send(FlowRecord record, long conversationHash) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}

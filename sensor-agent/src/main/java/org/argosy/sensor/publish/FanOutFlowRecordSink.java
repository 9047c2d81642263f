package org.argosy.sensor.publish;

import java.util.List;
import org.argosy.avro.FlowRecord;

/** Sends every record to each of several sinks, e.g. a file and Kafka at once. */
public final class FanOutFlowRecordSink implements FlowRecordSink {

  private final List<FlowRecordSink> sinks;

  public FanOutFlowRecordSink(List<FlowRecordSink> sinks) {
    if (sinks.isEmpty()) {
      throw new IllegalArgumentException("at least one sink is needed");
    }
    this.sinks = List.copyOf(sinks);
  }

  @Override
  public void send(FlowRecord record, long conversationHash) {
    for (FlowRecordSink sink : sinks) {
      sink.send(record, conversationHash);
    }
  }

  @Override
  public void flush() {
    for (FlowRecordSink sink : sinks) {
      sink.flush();
    }
  }

  /** Closes every sink, even when one fails; the first failure is thrown after all were tried. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (FlowRecordSink sink : sinks) {
      try {
        sink.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}

package org.argosy.jobs.source;

import org.argosy.avro.FlowRecord;

/**
 * What the Kafka source's deserializer makes of one record of {@code flows}: either a flow record
 * to count or a dead letter, never both. Deciding inside the source keeps event-time watermarks per
 * Kafka partition; {@link FlowStreams#from} splits the two. A Flink POJO.
 */
public final class FlowOrDeadLetter {

  /** The decoded, plausible record, or null. */
  public FlowRecord flow;

  /** Why the record is not counted, or null. */
  public DeadLetter deadLetter;

  public FlowOrDeadLetter() {}

  public static FlowOrDeadLetter flow(FlowRecord flow) {
    FlowOrDeadLetter either = new FlowOrDeadLetter();
    either.flow = flow;
    return either;
  }

  public static FlowOrDeadLetter deadLetter(DeadLetter deadLetter) {
    FlowOrDeadLetter either = new FlowOrDeadLetter();
    either.deadLetter = deadLetter;
    return either;
  }

  public boolean isFlow() {
    return flow != null;
  }

  @Override
  public String toString() {
    return isFlow() ? "flow " + flow : "dead letter " + deadLetter;
  }
}

package org.argosy.jobs.it;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.argosy.jobs.kafka.FlowRecordDeserializer;
import org.argosy.jobs.source.FlowOrDeadLetter;

/**
 * The job's own deserializer, slowed down by a pause per record so that a fault can be injected
 * while the job runs and several checkpoints complete; optionally it throws once in the whole JVM
 * (the MiniCluster runs here, so the flag survives the job's restart) when a subtask has read
 * {@code failAfter} records.
 */
final class ThrottledFlowDeserializer
    implements KafkaRecordDeserializationSchema<FlowOrDeadLetter> {

  /** Whether the one failure has happened; reset it before a run. */
  static final AtomicBoolean FAILED = new AtomicBoolean();

  private final FlowRecordDeserializer decoder = new FlowRecordDeserializer();
  private final long pauseNanos;
  private final long failAfter;
  private transient long seen;

  /**
   * @param failAfter records of a subtask before the one failure; negative: never fail
   */
  ThrottledFlowDeserializer(long pauseNanos, long failAfter) {
    this.pauseNanos = pauseNanos;
    this.failAfter = failAfter;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) throws Exception {
    decoder.open(context);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> message, Collector<FlowOrDeadLetter> out)
      throws IOException {
    LockSupport.parkNanos(pauseNanos);
    if (failAfter >= 0 && ++seen > failAfter && FAILED.compareAndSet(false, true)) {
      throw new IOException("injected failure after " + failAfter + " records of a subtask");
    }
    decoder.deserialize(message, out);
  }

  @Override
  public TypeInformation<FlowOrDeadLetter> getProducedType() {
    return decoder.getProducedType();
  }
}

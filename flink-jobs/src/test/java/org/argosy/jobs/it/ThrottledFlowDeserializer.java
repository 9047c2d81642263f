package org.argosy.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.argosy.jobs.kafka.FlowRecordDeserializer;
import org.argosy.jobs.source.FlowOrDeadLetter;

/**
 * The job's own deserializer, slowed down by a pause per record so that a fault can be injected
 * while the job runs and several checkpoints complete; optionally it throws once in the whole JVM
 * (the MiniCluster runs here, so the flags survive the job's restart) when a subtask has read
 * {@code failAfter} records, or at the first record after that once the test {@link #arm}s it (a
 * test that waits for the job to reach some point, as committed output, before the failure).
 */
final class ThrottledFlowDeserializer
    implements KafkaRecordDeserializationSchema<FlowOrDeadLetter> {

  /** Whether the one failure has happened. */
  static final AtomicBoolean FAILED = new AtomicBoolean();

  /** Whether the failure may happen (once {@code failAfter} records are read). */
  private static final AtomicBoolean ARMED = new AtomicBoolean();

  /** Before a run: no failure yet; {@code armed}: it happens at {@code failAfter}, unless held. */
  static void reset(boolean armed) {
    FAILED.set(false);
    ARMED.set(armed);
  }

  /** Lets a held failure happen, at the next record a subtask reads past {@code failAfter}. */
  static void arm() {
    ARMED.set(true);
  }

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

  /**
   * Asserts that the finished job of {@code graph} failed by the one injected failure and then
   * restored a checkpoint instead of starting over.
   */
  static void assertFailedOnceAndRestoredACheckpoint(ArchivedExecutionGraph graph) {
    assertThat(FAILED).isTrue();
    assertThat(graph.getFailureInfo()).as("the job failed once").isNotNull();
    assertThat(graph.getFailureInfo().getExceptionAsString()).contains("injected failure");
    assertThat(graph.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint())
        .as("restarted from a checkpoint, not from the start")
        .isNotNull();
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) throws Exception {
    decoder.open(context);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> message, Collector<FlowOrDeadLetter> out)
      throws IOException {
    LockSupport.parkNanos(pauseNanos);
    if (failAfter >= 0 && ++seen > failAfter && ARMED.get() && FAILED.compareAndSet(false, true)) {
      throw new IOException("injected failure after " + failAfter + " records of a subtask");
    }
    decoder.deserialize(message, out);
  }

  @Override
  public TypeInformation<FlowOrDeadLetter> getProducedType() {
    return decoder.getProducedType();
  }
}

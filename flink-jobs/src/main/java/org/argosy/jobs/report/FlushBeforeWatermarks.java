package org.argosy.jobs.report;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * An operator that holds partial results on the heap and hands them on before every watermark goes
 * on (so nothing it held arrives after the watermark that closed its window), before every
 * checkpoint barrier (so it has no state to snapshot) and at the end of the input.
 */
abstract class FlushBeforeWatermarks<IN, OUT> extends AbstractStreamOperator<OUT>
    implements OneInputStreamOperator<IN, OUT>, BoundedOneInput {

  /** Hands on everything held and forgets it. */
  abstract void flush();

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void endInput() {
    flush();
  }
}

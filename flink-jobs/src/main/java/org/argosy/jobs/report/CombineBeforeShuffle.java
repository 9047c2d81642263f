package org.argosy.jobs.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowMerge;
import org.argosy.query.report.ReportWindow;

/**
 * Local aggregation before the keyBy shuffle: inside each upstream subtask, records are merged
 * (racluster's merge) per cluster key and pane, the slide-long slice of time every window of the
 * report is made of, so the shuffle and the window operator see one partial aggregate per key, pane
 * and flush instead of every record. A partial is stamped with its pane's start, so the window
 * assigner puts it in exactly the windows that hold all of the pane's records.
 *
 * <p>Partials are flushed before every watermark goes on (so none is late downstream when its
 * records were not), before every checkpoint barrier (so this operator has no state), at the end of
 * the input and when {@code maxPartials} are held. A record whose every window is closed and past
 * the allowed lateness by this operator's watermark goes to the late side output as it came.
 * Downstream watermarks never run ahead of this operator's, so a record accepted here is never late
 * at the window operator.
 */
final class CombineBeforeShuffle
    extends FlushBeforeWatermarks<FlowRecord, Tuple2<String, FlowAggregate>> {

  /** A partial's identity: the pane (start, epoch millis) and the encoded cluster key. */
  private record PaneKey(long paneStart, String key) {}

  private final ClusterKeySpec clusterKey;
  private final long paneMillis;
  private final long offsetMillis;
  private final long lastWindowEndAfterPane;
  private final OutputTag<FlowRecord> lateTag;
  private final int maxPartials;
  private transient Map<PaneKey, FlowAggregate> partials;
  private transient long watermark;

  CombineBeforeShuffle(
      ClusterKeySpec clusterKey,
      ReportWindow window,
      OutputTag<FlowRecord> lateTag,
      int maxPartials) {
    this.clusterKey = clusterKey;
    this.paneMillis = window.slide().toMillis();
    this.offsetMillis = window.alignmentOffset().toMillis();
    // A pane's last window ends `size` after the pane starts; it takes records until then plus
    // the lateness.
    this.lastWindowEndAfterPane = window.size().toMillis() + window.allowedLateness().toMillis();
    this.lateTag = lateTag;
    this.maxPartials = maxPartials;
  }

  @Override
  public void open() throws Exception {
    super.open();
    partials = new LinkedHashMap<>();
    watermark = Long.MIN_VALUE;
  }

  @Override
  public void processElement(StreamRecord<FlowRecord> element) {
    long paneStart =
        TimeWindow.getWindowStartWithOffset(element.getTimestamp(), offsetMillis, paneMillis);
    if (paneStart + lastWindowEndAfterPane - 1 <= watermark) {
      output.collect(lateTag, element);
      return;
    }
    FlowRecord record = element.getValue();
    FlowMerge.add(
        partials.computeIfAbsent(
            new PaneKey(paneStart, clusterKey.keyOf(record)), k -> FlowMerge.empty()),
        record);
    if (partials.size() >= maxPartials) {
      flush();
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    super.processWatermark(mark);
    watermark = mark.getTimestamp();
  }

  @Override
  void flush() {
    for (Map.Entry<PaneKey, FlowAggregate> partial : partials.entrySet()) {
      output.collect(
          new StreamRecord<>(
              Tuple2.of(partial.getKey().key(), partial.getValue()), partial.getKey().paneStart()));
    }
    partials.clear();
  }
}

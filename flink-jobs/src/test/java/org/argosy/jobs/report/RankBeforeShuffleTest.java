package org.argosy.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowMerge;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportOutput;
import org.argosy.query.report.ReportWindow;
import org.junit.jupiter.api.Test;

class RankBeforeShuffleTest {

  private static final int BUCKETS = 2;
  private static final long WINDOW_MILLIS = 10_000;

  private static ReportDefinition report(ReportWindow window) {
    ClusterKeySpec clusterKey = ClusterKeySpec.parse("dport");
    return new ReportDefinition(
        "ports",
        FlowFilter.all(),
        clusterKey,
        window,
        RankingOrder.parse(List.of("bytes")),
        2,
        ReportDefinition.defaultFields(clusterKey),
        EnumSet.of(ReportOutput.TOPN));
  }

  private static OneInputStreamOperatorTestHarness<FlowAggregate, TopNRanking> harness()
      throws Exception {
    var harness =
        new OneInputStreamOperatorTestHarness<>(
            new RankBeforeShuffle(report(ReportWindow.tumbling(Duration.ofSeconds(10))), BUCKETS));
    harness.open();
    return harness;
  }

  /**
   * The aggregate of {@code dport} in window {@code window}, emitted as the window operator does.
   */
  private static void add(
      OneInputStreamOperatorTestHarness<FlowAggregate, TopNRanking> harness,
      int window,
      int dport,
      long bytes)
      throws Exception {
    FlowAggregate aggregate = FlowMerge.empty();
    aggregate.setReport("ports");
    aggregate.setWindowStart(window * WINDOW_MILLIS * 1000);
    aggregate.setWindowEnd((window + 1) * WINDOW_MILLIS * 1000);
    aggregate.setKey(List.of(new KeyField("dport", Integer.toString(dport))));
    aggregate.setSbytes(bytes);
    aggregate.setTrans(1);
    harness.processElement(aggregate, (window + 1) * WINDOW_MILLIS - 1);
    // the window operator's next output may be the same object, refilled
    aggregate.setSbytes(-1);
  }

  /** What went on: "window/bucket @timestamp keys=K [dport bytes, ...]" and watermarks. */
  private static List<String> output(
      OneInputStreamOperatorTestHarness<FlowAggregate, TopNRanking> harness) {
    return harness.getOutput().stream()
        .map(
            out -> {
              if (out instanceof Watermark mark) {
                return "watermark " + mark.getTimestamp();
              }
              StreamRecord<?> record = (StreamRecord<?>) out;
              TopNRanking ranking = (TopNRanking) record.getValue();
              return RankingKeys.partialKey(ranking.getRows().get(0), BUCKETS)
                  + " @"
                  + record.getTimestamp()
                  + " keys="
                  + ranking.getKeyCount()
                  + " "
                  + ranking.getRows().stream()
                      .map(row -> row.getKey().get(0).getValue() + " " + row.getSbytes())
                      .toList();
            })
        .toList();
  }

  @Test
  void ranksPerWindowAndBucketAndSendsTheBestBeforeTheWatermarkGoesOn() throws Exception {
    var harness = harness();
    // even ports fall in bucket 1, odd ones in bucket 0 (the hash of their key)
    assertThat(RankingKeys.bucket(rowOf(80), BUCKETS)).isEqualTo(1);
    assertThat(RankingKeys.bucket(rowOf(81), BUCKETS)).isEqualTo(0);
    add(harness, 0, 80, 500);
    add(harness, 0, 82, 700);
    add(harness, 0, 84, 100);
    add(harness, 0, 86, 600);
    add(harness, 0, 81, 300);
    add(harness, 1, 83, 900);
    assertThat(harness.getOutput()).as("held until a watermark").isEmpty();

    harness.processWatermark(new Watermark(WINDOW_MILLIS - 1));
    assertThat(output(harness))
        .containsExactly(
            "0/1 @9999 keys=4 [82 700, 86 600]",
            "0/0 @9999 keys=1 [81 300]",
            "10000000/0 @19999 keys=1 [83 900]",
            "watermark 9999");
  }

  @Test
  void holdsNothingAtACheckpointOrTheEndOfTheInput() throws Exception {
    var harness = harness();
    add(harness, 0, 80, 500);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(output(harness)).containsExactly("0/1 @9999 keys=1 [80 500]");
    add(harness, 0, 82, 700);
    harness.endInput();
    assertThat(output(harness)).hasSize(2).last().isEqualTo("0/1 @9999 keys=1 [82 700]");
  }

  @Test
  void refusesAReportWithAllowedLateness() {
    ReportWindow late =
        new ReportWindow(
            Duration.ofSeconds(10), Duration.ofSeconds(10), ZoneOffset.UTC, Duration.ofSeconds(5));
    assertThatThrownBy(() -> new RankBeforeShuffle(report(late), BUCKETS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ports allows late updates");
  }

  private static FlowAggregate rowOf(int dport) {
    FlowAggregate aggregate = FlowMerge.empty();
    aggregate.setKey(List.of(new KeyField("dport", Integer.toString(dport))));
    return aggregate;
  }
}

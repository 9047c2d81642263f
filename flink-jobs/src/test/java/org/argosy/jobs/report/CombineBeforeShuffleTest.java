package org.argosy.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.report.ReportWindow;
import org.junit.jupiter.api.Test;

class CombineBeforeShuffleTest {

  private static final long SECOND_MICROS = 1_000_000L;
  private static final OutputTag<FlowRecord> LATE =
      new OutputTag<>("late", TypeInformation.of(FlowRecord.class));

  private static OneInputStreamOperatorTestHarness<FlowRecord, Tuple2<String, FlowAggregate>>
      harness(ReportWindow window, int maxPartials) throws Exception {
    var harness =
        new OneInputStreamOperatorTestHarness<>(
            new CombineBeforeShuffle(ClusterKeySpec.parse("dport"), window, LATE, maxPartials));
    harness.open();
    return harness;
  }

  private static void add(
      OneInputStreamOperatorTestHarness<FlowRecord, ?> harness, int dport, int second)
      throws Exception {
    harness.processElement(
        ReportJobTest.record("10.77.0.10", dport, second * SECOND_MICROS, 100), second * 1000L);
  }

  private static List<String> partials(
      OneInputStreamOperatorTestHarness<FlowRecord, Tuple2<String, FlowAggregate>> harness) {
    return harness.getOutput().stream()
        .map(
            out ->
                out instanceof Watermark mark
                    ? "watermark " + mark.getTimestamp()
                    : describe((StreamRecord<?>) out))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static String describe(StreamRecord<?> record) {
    var partial = (Tuple2<String, FlowAggregate>) record.getValue();
    return partial.f0.replace('\u001f', '/')
        + " @"
        + record.getTimestamp()
        + " trans="
        + partial.f1.getTrans()
        + " bytes="
        + partial.f1.getSbytes();
  }

  @Test
  void mergesPerKeyAndPaneAndFlushesBeforeTheWatermarkGoesOn() throws Exception {
    var harness = harness(ReportWindow.tumbling(Duration.ofSeconds(10)), 1000);
    add(harness, 80, 1);
    add(harness, 80, 2);
    add(harness, 443, 3);
    add(harness, 80, 12);
    assertThat(harness.getOutput()).as("held until a watermark").isEmpty();

    harness.processWatermark(new Watermark(9_999));
    assertThat(partials(harness))
        .containsExactly(
            "6/80 @0 trans=2 bytes=200",
            "6/443 @0 trans=1 bytes=100",
            "6/80 @10000 trans=1 bytes=100",
            "watermark 9999");
  }

  @Test
  void recordsWhoseWindowsAreAllClosedGoToTheLateOutput() throws Exception {
    var harness = harness(ReportWindow.tumbling(Duration.ofSeconds(10)), 1000);
    harness.processWatermark(new Watermark(20_000));
    add(harness, 80, 5); // window [0, 10 s) is closed
    add(harness, 80, 25);
    assertThat(harness.getSideOutput(LATE))
        .singleElement()
        .satisfies(late -> assertThat(late.getValue().getStime()).isEqualTo(5 * SECOND_MICROS));

    var lenient =
        harness(
            new ReportWindow(
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                ZoneOffset.UTC,
                Duration.ofSeconds(30)),
            1000);
    lenient.processWatermark(new Watermark(20_000));
    add(lenient, 80, 5); // within the allowed lateness
    assertThat(lenient.getSideOutput(LATE)).isNull();
  }

  @Test
  void slidingWindowsCombinePerSlide() throws Exception {
    var harness =
        harness(
            new ReportWindow(
                Duration.ofSeconds(20), Duration.ofSeconds(10), ZoneOffset.UTC, Duration.ZERO),
            1000);
    add(harness, 80, 9);
    add(harness, 80, 15);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(partials(harness))
        .as("flushed before the checkpoint barrier")
        .containsExactly("6/80 @0 trans=1 bytes=100", "6/80 @10000 trans=1 bytes=100");
  }

  @Test
  void aFullCombinerFlushesEarly() throws Exception {
    var harness = harness(ReportWindow.tumbling(Duration.ofSeconds(10)), 2);
    add(harness, 22, 1);
    assertThat(harness.getOutput()).isEmpty();
    add(harness, 80, 1);
    assertThat(partials(harness)).hasSize(2);
  }
}

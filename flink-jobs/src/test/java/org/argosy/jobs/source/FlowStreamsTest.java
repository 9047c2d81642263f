package org.argosy.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.jobs.report.ReportJob;
import org.junit.jupiter.api.Test;

/** Dead letters travel beside the flows without touching their event time. */
class FlowStreamsTest {

  private static final long STIME_MILLIS = 1_764_000_000_000L;

  private static FlowRecord flow() {
    return FlowRecord.newBuilder()
        .setSite("s")
        .setSensorId("s")
        .setIface("eth0")
        .setSeq(1)
        .setStime(STIME_MILLIS * 1000)
        .setLtime(STIME_MILLIS * 1000)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .setSpkts(1)
        .setSbytes(60)
        .build();
  }

  private static FlowOrDeadLetter deadLetter() {
    return FlowOrDeadLetter.deadLetter(
        DeadLetter.of(
            new ConsumerRecord<>("flows", 0, 7L, null, new byte[] {1}),
            DeadLetterReason.BAD_HEADER,
            "not an Avro single-object payload"));
  }

  /** What a generator emitted: the last watermark and whether the input is idle. */
  private static final class Output implements WatermarkOutput {
    final List<Long> watermarks = new ArrayList<>();
    boolean idle;

    @Override
    public void emitWatermark(Watermark watermark) {
      watermarks.add(watermark.getTimestamp());
      idle = false;
    }

    @Override
    public void markIdle() {
      idle = true;
    }

    @Override
    public void markActive() {
      idle = false;
    }
  }

  @Test
  void deadLettersNeitherAdvanceTheWatermarkNorKeepAPartitionActive() {
    ManualClock clock = new ManualClock(1_000_000_000L);
    FlowStreams.OnFlows strategy =
        new FlowStreams.OnFlows(ReportJob.watermarks(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    WatermarkGenerator<FlowOrDeadLetter> generator =
        strategy.createWatermarkGenerator(
            new WatermarkGeneratorSupplier.Context() {
              @Override
              public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
              }

              @Override
              public RelativeClock getInputActivityClock() {
                return clock;
              }
            });
    TimestampAssigner<FlowOrDeadLetter> timestamps = strategy.createTimestampAssigner(null);
    Output output = new Output();

    FlowOrDeadLetter flow = FlowOrDeadLetter.flow(flow());
    long flowTime = timestamps.extractTimestamp(flow, 42L);
    assertThat(flowTime).as("the flow's stime").isEqualTo(STIME_MILLIS);
    generator.onEvent(flow, flowTime, output);
    generator.onPeriodicEmit(output);
    long afterFlow = STIME_MILLIS - 5_000 - 1;
    assertThat(output.watermarks).last().isEqualTo(afterFlow);

    // a dead letter an hour later, by its Kafka timestamp: the watermark stays
    FlowOrDeadLetter letter = deadLetter();
    long kafkaTime = STIME_MILLIS + 3_600_000;
    assertThat(timestamps.extractTimestamp(letter, kafkaTime)).isEqualTo(kafkaTime);
    generator.onEvent(letter, kafkaTime, output);
    generator.onPeriodicEmit(output);
    assertThat(output.watermarks).last().isEqualTo(afterFlow);

    // only dead letters for longer than the idleness: the partition is idle
    for (int second = 0; second < 7; second++) {
      clock.advanceTime(Duration.ofSeconds(1));
      generator.onEvent(letter, kafkaTime, output);
      generator.onPeriodicEmit(output);
    }
    assertThat(output.idle).isTrue();
  }

  @Test
  void theSplitPassesFlowsOnAndDeadLettersToTheSideOutput() throws Exception {
    try (var harness =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(new FlowStreams.SplitDeadLetters()))) {
      harness.open();
      FlowOrDeadLetter letter = deadLetter();
      harness.processElement(FlowOrDeadLetter.flow(flow()), 1L);
      harness.processElement(letter, 2L);
      harness.processElement(FlowOrDeadLetter.flow(flow()), 3L);

      assertThat(harness.extractOutputValues()).containsExactly(flow(), flow());
      assertThat(harness.getSideOutput(FlowStreams.DEAD_LETTERS))
          .extracting(StreamRecord::getValue)
          .containsExactly(letter.deadLetter);
    }
  }
}

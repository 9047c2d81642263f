package org.argosy.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The job options that shape event time reach the watermark strategy, or are refused. */
class WatermarkOptionsTest {

  @Test
  void alignmentIsOffUnlessAMaxDriftIsGiven() {
    var plain = ReportJob.watermarks(ReportJobOptions.builder().build());
    assertThat(plain.getAlignmentParameters().isEnabled()).isFalse();

    var aligned =
        ReportJob.watermarks(
            ReportJobOptions.builder()
                .maxWatermarkDrift(Duration.ofSeconds(30))
                .quietAdvance(Duration.ofSeconds(10))
                .build());
    assertThat(aligned.getAlignmentParameters().isEnabled()).isTrue();
    assertThat(aligned.getAlignmentParameters().getMaxAllowedWatermarkDrift()).isEqualTo(30_000);
    assertThat(aligned.getAlignmentParameters().getWatermarkGroup())
        .isEqualTo(ReportJob.WATERMARK_ALIGNMENT_GROUP);
  }

  @Test
  void nonPositiveDurationsAreRefused() {
    assertThatThrownBy(() -> ReportJobOptions.builder().maxWatermarkDrift(Duration.ZERO).build())
        .hasMessageContaining("drift must be positive");
    assertThatThrownBy(
            () -> ReportJobOptions.builder().quietAdvance(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("quiet advance must be positive");
    assertThatThrownBy(() -> ReportJobOptions.builder().sensorTimeout(Duration.ZERO).build())
        .hasMessageContaining("sensor timeout must be positive");
  }

  @Test
  void sensorsTimeOutAfterTwoMinutesUnlessToldOtherwise() {
    assertThat(ReportJobOptions.builder().build().sensorTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(
            ReportJobOptions.builder()
                .sensorTimeout(Duration.ofSeconds(30))
                .build()
                .sensorTimeout())
        .isEqualTo(Duration.ofSeconds(30));
  }
}

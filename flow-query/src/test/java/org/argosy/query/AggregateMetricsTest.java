package org.argosy.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * A record's load as Argus prints it. The expected values are ra 3.0.8.2's output for records of
 * argus's metering of samples/demo.pcap ({@code ra -n -s spkts dpkts sbytes dbytes dur load sload
 * dload}), which Argus computes in single precision.
 */
class AggregateMetricsTest {

  @Test
  void recordLoadLeavesOneMeanPacketOutPerSide() {
    // 10.77.0.11:52257 -> 10.77.0.20:443: sload 29796.806641 + dload 88721.359375
    assertThat(AggregateMetrics.recordLoad(9, 1402, 8, 4243, 0.334801))
        .isCloseTo(118518.171875, within(118518.171875 * 1e-6));
    assertThat(AggregateMetrics.recordLoad(17, 1755, 20, 21778, 0.585376))
        .isCloseTo(305335.343750, within(305335.343750 * 1e-6));
  }

  @Test
  void sidesOfOnePacketAndSpansOfZeroCountNothing() {
    // a one-packet request and its one-packet answer: Argus prints load 0
    assertThat(AggregateMetrics.recordLoad(1, 74, 1, 54, 0.000008)).isZero();
    // three packets one way only: 1050 - 350 bytes over 1.3066 s
    assertThat(AggregateMetrics.recordLoad(3, 1050, 0, 0, 1.306600))
        .isCloseTo(4285.933105, within(4285.933105 * 1e-6));
    assertThat(AggregateMetrics.recordLoad(5, 500, 5, 500, 0)).isZero();
  }
}

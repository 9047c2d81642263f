package org.argosy.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.junit.jupiter.api.Test;

class FlowPlausibilityTest {

  private static final long SECOND = 1_000_000L;
  private static final long NOW = 1_764_000_000L * SECOND; // 2025-11-24

  private static FlowRecord record(Consumer<FlowRecord> change) {
    FlowRecord record =
        FlowRecord.newBuilder()
            .setSite("s")
            .setSensorId("s")
            .setIface("eth0")
            .setSeq(1)
            .setStime(NOW - 10 * SECOND)
            .setLtime(NOW - 5 * SECOND)
            .setCause(FlowCause.STATUS)
            .setEtherType(0x0800)
            .setSpkts(10)
            .setDpkts(8)
            .setSbytes(15_000)
            .setDbytes(600)
            .setSappbytes(14_000)
            .setDappbytes(0)
            .build();
    change.accept(record);
    return record;
  }

  private static String violation(Consumer<FlowRecord> change) {
    return FlowPlausibility.violation(record(change), NOW);
  }

  @Test
  void recordsASensorWritesPass() {
    assertThat(violation(r -> {})).isNull();
    assertThat(violation(r -> r.setLtime(r.getStime()))).as("one packet").isNull();
    assertThat(violation(r -> r.setDpkts(0L))).as("dbytes without dpkts").isNotNull();
    assertThat(violation(r -> r.setDbytes(0L))).as("packets without bytes").isNull();
    assertThat(
            violation(
                r -> {
                  r.setDpkts(0L);
                  r.setDbytes(0L);
                }))
        .as("one-way flow")
        .isNull();
    assertThat(violation(r -> r.setSbytes(10 * 65_549L))).as("64 KiB GRO segments").isNull();
    assertThat(violation(r -> r.setSbytes(10 * FlowPlausibility.MAX_BYTES_PER_PACKET)))
        .as("exactly the limit")
        .isNull();
    assertThat(violation(r -> r.setLtime(NOW + FlowPlausibility.MAX_FUTURE_MICROS)))
        .as("a day of clock skew")
        .isNull();
    assertThat(violation(r -> r.setStime(FlowPlausibility.EARLIEST_STIME_MICROS))).isNull();
  }

  @Test
  void eachRuleNamesTheFieldsItFound() {
    assertThat(violation(r -> r.setSbytes(-1L))).isEqualTo("sbytes -1 is negative");
    assertThat(violation(r -> r.setDpkts(-3L))).isEqualTo("dpkts -3 is negative");
    assertThat(violation(r -> r.setDappbytes(-5L))).isEqualTo("dappbytes -5 is negative");
    assertThat(violation(r -> r.setLtime(r.getStime() - 1)))
        .isEqualTo("ltime " + (NOW - 10 * SECOND - 1) + " before stime " + (NOW - 10 * SECOND));
    assertThat(
            violation(
                r -> {
                  r.setStime(0L);
                  r.setLtime(0L);
                }))
        .isEqualTo("stime 0 before 1990-01-01");
    assertThat(violation(r -> r.setLtime(NOW + FlowPlausibility.MAX_FUTURE_MICROS + 1)))
        .startsWith("ltime ")
        .endsWith("more than a day after now (" + NOW + ")");
    assertThat(violation(r -> r.setSpkts(0L))).isEqualTo("spkts 0 with sbytes 15000");
    assertThat(violation(r -> r.setSbytes(10 * FlowPlausibility.MAX_BYTES_PER_PACKET + 1)))
        .isEqualTo("sbytes 2621441 over spkts 10 is more than 262144 bytes per packet");
    assertThat(violation(r -> r.setDbytes(Long.MAX_VALUE)))
        .as("no overflow")
        .startsWith("dbytes " + Long.MAX_VALUE + " over dpkts 8");
  }
}

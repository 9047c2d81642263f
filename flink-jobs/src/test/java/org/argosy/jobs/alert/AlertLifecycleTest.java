package org.argosy.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.argosy.avro.AlertStatus;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.KeyField;
import org.argosy.query.alert.AlertRule;
import org.argosy.query.alert.AlertRuleFile;
import org.junit.jupiter.api.Test;

/** The lifecycle operator alone, driven record by record and watermark by watermark. */
class AlertLifecycleTest {

  private static final long SECOND_MICROS = 1_000_000L;
  private static final long WINDOW = 10 * SECOND_MICROS;

  private static AlertRule rule(String cooldown) {
    return AlertRuleFile.parse(
            """
            rules:
              - name: busy
                kind: threshold
                keys: dport
                window: 10s
                above: 100
                cooldown: %s
            """
                .formatted(cooldown),
            "test")
        .get(0);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, FlowAlert, FlowAlert> harness(
      AlertRule rule) throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new AlertLifecycle(Map.of(rule.name(), rule))),
            Candidates::conditionKey,
            Types.STRING);
    harness.open();
    return harness;
  }

  /** A candidate of window {@code w} (0, 1, ...) for dport 443, as the window stage emits it. */
  private static StreamRecord<FlowAlert> candidate(AlertRule rule, int w, double observed) {
    long start = w * WINDOW;
    FlowAlert alert =
        Candidates.candidate(
            rule,
            List.of("a"),
            start,
            start + WINDOW,
            List.of(new KeyField("dport", "443")),
            observed,
            rule.above(),
            List.of());
    return new StreamRecord<>(alert, (start + WINDOW) / 1000 - 1);
  }

  /** The watermark after window {@code w}: every candidate of it has arrived. */
  private static long after(int w) {
    return (w + 1) * WINDOW / 1000 - 1;
  }

  private static List<FlowAlert> output(
      KeyedOneInputStreamOperatorTestHarness<String, FlowAlert, FlowAlert> harness) {
    List<FlowAlert> alerts = new ArrayList<>();
    for (Object element : harness.getOutput()) {
      if (element instanceof StreamRecord<?> record) {
        alerts.add((FlowAlert) record.getValue());
      }
    }
    return alerts;
  }

  @Test
  void opensOnceUpdatesAfterTheCooldownAndResolvesAfterTheFirstQuietWindow() throws Exception {
    AlertRule rule = rule("20s");
    var harness = harness(rule);
    for (int w = 0; w < 4; w++) {
      harness.processElement(candidate(rule, w, 200 + w));
      harness.processWatermark(after(w));
    }
    harness.processWatermark(after(4)); // window 4: the condition no longer holds
    harness.processWatermark(after(9));

    List<FlowAlert> alerts = output(harness);
    assertThat(alerts)
        .extracting(FlowAlert::getStatus)
        .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATE, AlertStatus.RESOLVED);
    assertThat(alerts)
        .extracting(FlowAlert::getWindowStart)
        .containsExactly(0L, 2 * WINDOW, 3 * WINDOW);
    assertThat(alerts).extracting(FlowAlert::getObserved).containsExactly(200.0, 202.0, 203.0);
    assertThat(alerts).extracting(FlowAlert::getId).containsOnly(alerts.get(0).getId());
    assertThat(alerts.get(2).getFirstSeen()).isZero();
    assertThat(alerts.get(2).getLastSeen()).isEqualTo(4 * WINDOW);
  }

  @Test
  void windowsThatArriveOutOfOrderAreJudgedInOrder() throws Exception {
    AlertRule rule = rule("0s");
    var harness = harness(rule);
    harness.processElement(candidate(rule, 1, 300));
    harness.processElement(candidate(rule, 0, 250));
    harness.processElement(candidate(rule, 0, 250)); // a second path judged window 0 too
    harness.processWatermark(after(1));
    harness.processWatermark(after(2));

    assertThat(output(harness))
        .extracting(FlowAlert::getStatus, FlowAlert::getObserved)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AlertStatus.OPEN, 250.0),
            org.assertj.core.groups.Tuple.tuple(AlertStatus.UPDATE, 300.0),
            org.assertj.core.groups.Tuple.tuple(AlertStatus.RESOLVED, 300.0));
  }

  /**
   * An elephant judged by bytes and by share in one window: two candidates, one alert, whose
   * threshold must not depend on which path's candidate came first (it differs after a restart).
   */
  @Test
  void twoCandidatesOfOneWindowGiveTheSameAlertInEitherOrder() throws Exception {
    AlertRule rule = rule("0s");
    List<FlowAlert> opened = new ArrayList<>();
    for (double[] thresholds : new double[][] {{100, 180}, {180, 100}}) {
      var harness = harness(rule);
      for (double threshold : thresholds) {
        StreamRecord<FlowAlert> candidate = candidate(rule, 0, 250);
        candidate.getValue().setThreshold(threshold);
        harness.processElement(candidate);
      }
      harness.processWatermark(after(0));
      opened.add(output(harness).get(0));
    }
    assertThat(opened.get(0).getThreshold()).isEqualTo(100);
    assertThat(opened.get(1)).isEqualTo(opened.get(0));
  }

  @Test
  void aGapEndsOneAlertAndTheNextWindowOpensANewOne() throws Exception {
    AlertRule rule = rule("0s");
    var harness = harness(rule);
    harness.processElement(candidate(rule, 0, 150));
    harness.processWatermark(after(1));
    harness.processElement(candidate(rule, 2, 150));
    harness.processWatermark(after(3));

    List<FlowAlert> alerts = output(harness);
    assertThat(alerts)
        .extracting(FlowAlert::getStatus)
        .containsExactly(
            AlertStatus.OPEN, AlertStatus.RESOLVED, AlertStatus.OPEN, AlertStatus.RESOLVED);
    assertThat(alerts.get(2).getId()).isNotEqualTo(alerts.get(0).getId());
  }

  @Test
  void theSameInputGivesTheSameIdsAfterARestart() throws Exception {
    AlertRule rule = rule("0s");
    List<String> ids = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      var harness = harness(rule);
      harness.processElement(candidate(rule, 5, 150));
      harness.processWatermark(after(6));
      ids.add(output(harness).get(0).getId());
    }
    assertThat(ids.get(1)).isEqualTo(ids.get(0));
  }
}

package org.argosy.jobs.alert;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.argosy.avro.AlertStatus;
import org.argosy.avro.FlowAlert;
import org.argosy.query.alert.AlertRule;

/**
 * The life of one condition (a rule and a key value): the first window it holds raises it ({@code
 * OPEN}); later windows in which it still holds are reported ({@code UPDATE}) at most once per the
 * rule's cooldown; the first window after the last one in which it held ends it ({@code RESOLVED},
 * carrying the last values seen). Keyed by {@link Candidates#conditionKey}.
 *
 * <p>Windows are judged in time order ({@link InWindowOrder}). An alert's id is derived from rule,
 * key and the window it opened in, so a job that restarts from a checkpoint re-emits the same ids,
 * and consumers can follow one condition by its id. Resolution is decided in event time: when the
 * watermark passes the end of the window after the last one that held. A stream that stops entirely
 * leaves its open alerts open until records arrive again.
 */
final class AlertLifecycle extends InWindowOrder {

  private final Map<String, AlertRule> rules;
  private transient ValueState<FlowAlert> current;
  private transient ValueState<Long> lastPublishedWindow;
  private transient Counter opened;
  private transient Counter resolved;

  AlertLifecycle(Map<String, AlertRule> rules) {
    this.rules = Map.copyOf(rules);
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    super.open(openContext);
    current =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("current", TypeInformation.of(FlowAlert.class)));
    lastPublishedWindow =
        getRuntimeContext().getState(new ValueStateDescriptor<>("lastPublished", Long.class));
    opened = getRuntimeContext().getMetricGroup().counter("alertsOpened");
    resolved = getRuntimeContext().getMetricGroup().counter("alertsResolved");
  }

  @Override
  void judge(long timestamp, List<FlowAlert> due, OnTimerContext ctx, Collector<FlowAlert> out)
      throws Exception {
    for (FlowAlert candidate : due) {
      hold(candidate, ctx, out);
    }
    FlowAlert held = current.value();
    if (held != null && timestamp >= resolveCheck(held, rules.get(held.getRule()))) {
      FlowAlert ended = FlowAlert.newBuilder(held).build();
      ended.setStatus(AlertStatus.RESOLVED);
      out.collect(ended);
      resolved.inc();
      current.clear();
      lastPublishedWindow.clear();
    }
  }

  /** The condition held in the candidate's window: open the alert, or continue it. */
  private void hold(FlowAlert candidate, OnTimerContext ctx, Collector<FlowAlert> out)
      throws Exception {
    AlertRule rule = rules.get(candidate.getRule());
    FlowAlert held = current.value();
    if (held != null && candidate.getWindowStart() <= held.getWindowStart()) {
      return; // this window is already accounted for (a second path judged it too)
    }
    FlowAlert alert = candidate;
    if (held == null) {
      alert.setId(id(ctx.getCurrentKey(), candidate.getWindowStart()));
      alert.setStatus(AlertStatus.OPEN);
      publish(alert, out);
      opened.inc();
    } else {
      alert.setId(held.getId());
      alert.setFirstSeen(held.getFirstSeen());
      long cooldownMicros = rule.cooldown().toMillis() * MICROS_PER_MILLI;
      if (candidate.getWindowStart() - lastPublishedWindow.value() >= cooldownMicros) {
        alert.setStatus(AlertStatus.UPDATE);
        publish(alert, out);
      }
    }
    current.update(alert);
    ctx.timerService().registerEventTimeTimer(resolveCheck(alert, rule));
  }

  private void publish(FlowAlert alert, Collector<FlowAlert> out) throws Exception {
    lastPublishedWindow.update(alert.getWindowStart());
    out.collect(FlowAlert.newBuilder(alert).build());
  }

  /** The last event time of the window after {@code alert}'s: did the condition hold there too? */
  private static long resolveCheck(FlowAlert alert, AlertRule rule) {
    return alert.getWindowEnd() / MICROS_PER_MILLI + rule.window().slide().toMillis() - 1;
  }

  private static String id(String conditionKey, long openedWindowStart) {
    return UUID.nameUUIDFromBytes(
            (conditionKey + "@" + openedWindowStart).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}

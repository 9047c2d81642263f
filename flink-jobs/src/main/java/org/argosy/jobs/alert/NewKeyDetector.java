package org.argosy.jobs.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAlert;
import org.argosy.query.alert.AlertRule;

/**
 * Raises keys that are new: absent for the rule's last {@code absent} windows (a talker new to a
 * watched subnet, a key new to a top N). Keyed by rule, with the window each key was last seen in.
 *
 * <p>Windows reach this operator from parallel subtasks that may lag each other by windows, so the
 * keys of a window wait until the watermark passes its end (every key of the window has arrived by
 * then) and windows are judged in time order. Keys not seen for longer than {@code absent} windows
 * are forgotten, since they would count as new anyway. The first {@code absent} windows after the
 * rule first saw traffic only learn: nothing is new to a rule that has seen nothing.
 */
final class NewKeyDetector extends InWindowOrder {

  private final Map<String, AlertRule> rules;
  private transient MapState<String, Long> lastSeenWindow;
  private transient ValueState<Long> firstWindow;

  NewKeyDetector(Map<String, AlertRule> rules) {
    this.rules = Map.copyOf(rules);
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    super.open(openContext);
    lastSeenWindow =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("lastSeen", Types.STRING, Types.LONG));
    firstWindow = getRuntimeContext().getState(new ValueStateDescriptor<>("first", Long.class));
  }

  @Override
  void judge(long timestamp, List<FlowAlert> due, OnTimerContext ctx, Collector<FlowAlert> out)
      throws Exception {
    for (FlowAlert seen : due) {
      judge(seen, out);
    }
    if (!due.isEmpty()) {
      FlowAlert newest = due.get(due.size() - 1);
      forgetBefore(newest.getWindowStart() - memory(rules.get(newest.getRule())));
    }
  }

  /** How long a key must have been absent to be new again, in microseconds. */
  private static long memory(AlertRule rule) {
    return rule.absentWindows() * rule.window().slide().toMillis() * MICROS_PER_MILLI;
  }

  private void judge(FlowAlert seen, Collector<FlowAlert> out) throws Exception {
    AlertRule rule = rules.get(seen.getRule());
    long window = seen.getWindowStart();
    long memory = memory(rule);
    Long first = firstWindow.value();
    if (first == null) {
      firstWindow.update(window);
      first = window;
    }
    String key = Candidates.keyText(seen.getKey());
    Long previous = lastSeenWindow.get(key);
    boolean learning = window < first + memory;
    if (!learning && (previous == null || previous < window - memory)) {
      out.collect(seen);
    }
    lastSeenWindow.put(key, window);
  }

  private void forgetBefore(long horizon) throws Exception {
    List<String> stale = new ArrayList<>();
    for (var entry : lastSeenWindow.entries()) {
      if (entry.getValue() < horizon) {
        stale.add(entry.getKey());
      }
    }
    for (String key : stale) {
      lastSeenWindow.remove(key);
    }
  }
}

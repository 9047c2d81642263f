package org.argosy.jobs.alert;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAlert;
import org.argosy.query.AggregateMetrics;
import org.argosy.query.alert.AlertRule;

/**
 * Turns a key's finished window tally into a candidate with the value the rule observes: the metric
 * (threshold), the distinct count (distinct) or the bytes (elephant, new-key). With {@code
 * everyKey} every key becomes a candidate for a later stage to judge (an elephant's share of its
 * window, a key's novelty); otherwise only keys above the rule's {@code above}.
 */
final class LabelTally extends ProcessWindowFunction<WindowTally, FlowAlert, String, TimeWindow> {

  private static final long MICROS_PER_MILLI = 1000;
  private final AlertRule rule;
  private final boolean everyKey;

  LabelTally(AlertRule rule, boolean everyKey) {
    this.rule = rule;
    this.everyKey = everyKey;
  }

  @Override
  public void process(
      String key, Context context, Iterable<WindowTally> tallies, Collector<FlowAlert> out) {
    TimeWindow window = context.window();
    long start = window.getStart() * MICROS_PER_MILLI;
    long end = window.getEnd() * MICROS_PER_MILLI;
    for (WindowTally tally : tallies) {
      double observed = observed(tally);
      if (everyKey || observed > rule.above()) {
        out.collect(
            Candidates.candidate(
                rule,
                tally.sites(),
                start,
                end,
                rule.keys().keyFields(key),
                observed,
                Double.isNaN(rule.above()) ? 0 : rule.above(),
                tally.evidence(rule.name(), start, end)));
      }
    }
  }

  private double observed(WindowTally tally) {
    return switch (rule.kind()) {
      case THRESHOLD -> rule.metric().valueOf(tally.total());
      case DISTINCT -> tally.distinctCount();
      default -> AggregateMetrics.bytes(tally.total());
    };
  }
}

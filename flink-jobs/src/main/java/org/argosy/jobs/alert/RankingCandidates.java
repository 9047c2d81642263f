package org.argosy.jobs.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.query.alert.AlertRule;

/**
 * Judges the top-N ranking of a ranking rule's window. For a top-entry rule every row is a
 * candidate for {@link NewKeyDetector} (observed: its metric; threshold: the metric of the last
 * row, the bar to enter). For a top-ephemeral rule the ranking is one candidate, with an empty key,
 * when the share of rows whose port is ephemeral reaches the rule's share; the ephemeral rows are
 * its evidence.
 */
final class RankingCandidates implements FlatMapFunction<TopNRanking, FlowAlert> {

  private final Map<String, AlertRule> rules;

  RankingCandidates(Map<String, AlertRule> rules) {
    this.rules = Map.copyOf(rules);
  }

  @Override
  public void flatMap(TopNRanking ranking, Collector<FlowAlert> out) {
    AlertRule rule = rules.get(ranking.getReport());
    List<FlowAggregate> rows = ranking.getRows();
    if (rows.isEmpty()) {
      return;
    }
    switch (rule.kind()) {
      case TOP_ENTRY -> {
        double bar = rule.metric().valueOf(rows.get(rows.size() - 1));
        for (FlowAggregate row : rows) {
          out.collect(candidate(rule, ranking, row.getKey(), rule.metric().valueOf(row), bar, row));
        }
      }
      case TOP_EPHEMERAL -> {
        List<FlowAggregate> ephemeral = new ArrayList<>();
        for (FlowAggregate row : rows) {
          if (port(row, rule) >= rule.ephemeralFrom()) {
            ephemeral.add(row);
          }
        }
        double share = (double) ephemeral.size() / rows.size();
        if (share >= rule.share()) {
          out.collect(
              Candidates.candidate(
                  rule,
                  List.of(),
                  ranking.getWindowStart(),
                  ranking.getWindowEnd(),
                  List.of(),
                  share,
                  rule.share(),
                  ephemeral.subList(0, Math.min(WindowTally.EVIDENCE_ROWS, ephemeral.size()))));
        }
      }
      default ->
          throw new IllegalStateException(rule.name() + " is not a ranking rule: " + rule.kind());
    }
  }

  private static FlowAlert candidate(
      AlertRule rule,
      TopNRanking ranking,
      List<KeyField> key,
      double observed,
      double threshold,
      FlowAggregate row) {
    return Candidates.candidate(
        rule,
        List.of(),
        ranking.getWindowStart(),
        ranking.getWindowEnd(),
        key,
        observed,
        threshold,
        List.of(row));
  }

  /** The rule's port field of a row; -1 when the row has none (a flow without ports). */
  private static int port(FlowAggregate row, AlertRule rule) {
    String name = rule.portField().argusName();
    for (KeyField field : row.getKey()) {
      if (field.getName().equals(name)) {
        return field.getValue().matches("\\d{1,5}") ? Integer.parseInt(field.getValue()) : -1;
      }
    }
    return -1;
  }
}

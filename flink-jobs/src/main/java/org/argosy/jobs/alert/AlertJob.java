package org.argosy.jobs.alert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.report.ReportJob;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.jobs.report.ReportMetrics;
import org.argosy.jobs.report.SelectRecords;
import org.argosy.jobs.report.TagLateRecord;
import org.argosy.jobs.source.DeadLetter;
import org.argosy.jobs.source.FlowOrDeadLetter;
import org.argosy.jobs.source.FlowStreams;
import org.argosy.query.alert.AlertRule;
import org.argosy.query.alert.AlertRuleKind;
import org.argosy.query.report.ReportDefinition;

/**
 * The alert job: every rule of a rule file over the flow records, per window, into alerts.
 *
 * <pre>
 * flows -> filter -> keyBy(rule key) -> window: tally (totals, distinct count, evidence)
 *     threshold, distinct:  above the rule's value             --------------------------+
 *     elephant:             bytes above the value, or share:                              |
 *                           keyBy(window, bucket) biggest flows -> keyBy(window) share ---+
 *     new-key:              keyBy(rule) new for K windows     ----------------------------+
 * flows -> report pipeline (ReportJob) -> top-N rankings                                  |
 *     top-entry:            rows -> keyBy(rule) new to the top N for K windows -----------+
 *     top-ephemeral:        share of ephemeral ports among the rows ----------------------+
 *                                                                                          v
 *                        keyBy(rule, key) lifecycle: OPEN, UPDATE (cooldown), RESOLVED -> alerts
 * </pre>
 *
 * No stage collects a window's records in one place: tallies are keyed, the share test works on
 * bounded buckets, and rankings use the report engine's parallel top N. Only new-key and top-entry
 * keep a rule's keys in one subtask (a watched subnet's talkers, a top N's rows: small sets).
 */
public final class AlertJob {

  public static final String ALERTS_TOPIC = "flow-alerts";
  public static final String ALERTS_AVRO_TOPIC = "flow-alerts-avro";

  private AlertJob() {}

  /** Where the results go: the alerts as JSON and as Avro, and late records. */
  public record Sinks(
      Sink<FlowAlert> json, Sink<FlowAlert> avro, Sink<Tuple2<String, FlowRecord>> late) {}

  /** The alerts, and the records that came too late for a rule's window. */
  public record Outputs(
      DataStream<FlowAlert> alerts, DataStream<Tuple2<String, FlowRecord>> late) {}

  /**
   * The alert job alone: {@code source} (e.g. {@code FlowTopics.flowSource}) through {@link
   * FlowStreams} and {@code rules} into the sinks; records that are not counted go to {@code
   * deadLetters}.
   */
  public static void build(
      StreamExecutionEnvironment env,
      Source<FlowOrDeadLetter, ?, ?> source,
      Sinks sinks,
      Sink<DeadLetter> deadLetters,
      List<AlertRule> rules,
      ReportJobOptions options) {
    ReportJob.enableObjectReuse(env);
    FlowStreams in = FlowStreams.from(env, source, ReportJob.watermarks(options));
    in.deadLetters().sinkTo(deadLetters).uid("sink-dead-letters").name(ReportJob.DEAD_LETTER_TOPIC);
    attach(in.flows(), sinks, rules, options.rankBuckets());
  }

  /**
   * Adds the rules to a job that already reads {@code flows} (the report job, say). Operator uids
   * start with {@code alert-}; rule names must differ from the names of reports in the same job.
   */
  public static void attach(
      DataStream<FlowRecord> flows, Sinks sinks, List<AlertRule> rules, int buckets) {
    Outputs outputs = alerts(flows, rules, buckets);
    outputs.alerts().sinkTo(sinks.json()).uid("alert-sink-json").name(ALERTS_TOPIC);
    outputs.alerts().sinkTo(sinks.avro()).uid("alert-sink-avro").name(ALERTS_AVRO_TOPIC);
    outputs.late().sinkTo(sinks.late()).uid("alert-sink-late").name(ReportJob.LATE_TOPIC);
  }

  /** The alerts of {@code rules} over {@code flows}, which must carry event-time watermarks. */
  public static Outputs alerts(DataStream<FlowRecord> flows, List<AlertRule> rules, int buckets) {
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("no alert rules to run");
    }
    Map<String, AlertRule> byName = new LinkedHashMap<>();
    rules.forEach(rule -> byName.put(rule.name(), rule));
    List<DataStream<FlowAlert>> candidates = new ArrayList<>();
    List<DataStream<Tuple2<String, FlowRecord>>> late = new ArrayList<>();
    List<ReportDefinition> rankings = new ArrayList<>();
    for (AlertRule rule : rules) {
      if (rule.kind().ranks()) {
        rankings.add(rule.ranking());
      } else {
        candidates.add(keyedCandidates(flows, rule, byName, buckets, late));
      }
    }
    if (!rankings.isEmpty()) {
      ReportJob.Outputs ranked = ReportJob.reports(flows, rankings, buckets);
      candidates.add(rankingCandidates(ranked.rankings().orElseThrow(), byName));
      late.add(ranked.late());
    }
    DataStream<FlowAlert> alerts =
        ReportJob.union(candidates)
            .orElseThrow()
            .keyBy(Candidates::conditionKey)
            .process(new AlertLifecycle(byName))
            .uid("alert-lifecycle")
            .name("alert lifecycle: open, update, resolve");
    return new Outputs(alerts, ReportJob.union(late).orElseThrow());
  }

  private static DataStream<FlowAlert> keyedCandidates(
      DataStream<FlowRecord> flows,
      AlertRule rule,
      Map<String, AlertRule> rules,
      int buckets,
      List<DataStream<Tuple2<String, FlowRecord>>> late) {
    String name = rule.name();
    OutputTag<FlowRecord> lateTag =
        new OutputTag<>("late-" + name, TypeInformation.of(FlowRecord.class));
    boolean everyKey =
        rule.kind() == AlertRuleKind.NEW_KEY
            || (rule.kind() == AlertRuleKind.ELEPHANT && !Double.isNaN(rule.share()));
    SingleOutputStreamOperator<FlowAlert> tallied =
        flows
            .filter(new SelectRecords(ReportMetrics.RULE, name, rule.filter()))
            .uid("alert-filter-" + name)
            .name("filter " + name + (rule.filter().isAll() ? "" : ": " + rule.filter()))
            .keyBy(rule.keys()::keyOf, Types.STRING)
            .window(ReportJob.assigner(rule.window()))
            .allowedLateness(rule.window().allowedLateness())
            .sideOutputLateData(lateTag)
            .aggregate(new TallyRecords(rule.count()), new LabelTally(rule, everyKey))
            .uid("alert-tally-" + name)
            .name(rule.kind().word() + " " + name + " -m " + rule.keys());
    late.add(
        tallied
            .getSideOutput(lateTag)
            .map(new TagLateRecord(ReportMetrics.RULE, name))
            .returns(ReportJob.LATE_RECORD_TYPE)
            .uid("alert-late-" + name)
            .name("late " + name));
    return switch (rule.kind()) {
      case NEW_KEY -> newKeys(tallied, rules, name);
      case ELEPHANT -> everyKey ? elephants(tallied, rule, buckets) : tallied;
      default -> tallied;
    };
  }

  private static DataStream<FlowAlert> newKeys(
      DataStream<FlowAlert> seen, Map<String, AlertRule> rules, String name) {
    return seen.keyBy(FlowAlert::getRule)
        .process(new NewKeyDetector(rules))
        .uid("alert-new-keys-" + name)
        .name("new keys of " + name);
  }

  /** Elephants by share of their window's bytes, and (if set) by bytes above the value. */
  private static DataStream<FlowAlert> elephants(
      DataStream<FlowAlert> conversations, AlertRule rule, int buckets) {
    String name = rule.name();
    int keep = (int) Math.ceil(1 / rule.share());
    DataStream<FlowAlert> byShare =
        conversations
            .keyBy(conversation -> TopFlowsPerBucket.key(conversation, buckets))
            .process(new TopFlowsPerBucket(keep, buckets))
            .uid("alert-elephant-buckets-" + name)
            .name("biggest " + keep + " flows per bucket of " + name)
            .keyBy(fromBucket -> fromBucket.f2.getWindowStart())
            .process(new ShareOfWindow(rule.share()))
            .uid("alert-elephant-share-" + name)
            .name("share of window of " + name);
    if (Double.isNaN(rule.above())) {
      return byShare;
    }
    double above = rule.above();
    return byShare.union(
        conversations
            .filter(conversation -> conversation.getObserved() > above)
            .uid("alert-elephant-above-" + name)
            .name("bytes above " + (long) above + " of " + name));
  }

  private static DataStream<FlowAlert> rankingCandidates(
      DataStream<TopNRanking> rankings, Map<String, AlertRule> rules) {
    DataStream<FlowAlert> judged =
        rankings
            .flatMap(new RankingCandidates(rules))
            .uid("alert-ranking-candidates")
            .name("judge rankings");
    DataStream<FlowAlert> entries =
        judged
            .filter(c -> rules.get(c.getRule()).kind() == AlertRuleKind.TOP_ENTRY)
            .uid("alert-top-entries")
            .name("top-entry rows")
            .keyBy(FlowAlert::getRule)
            .process(new NewKeyDetector(rules))
            .uid("alert-new-top-entries")
            .name("new to the top N");
    DataStream<FlowAlert> ephemeral =
        judged
            .filter(c -> rules.get(c.getRule()).kind() == AlertRuleKind.TOP_EPHEMERAL)
            .uid("alert-top-ephemeral")
            .name("top N dominated by ephemeral ports");
    return entries.union(ephemeral);
  }
}

package org.argosy.jobs.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.source.DeadLetter;
import org.argosy.jobs.source.FlowOrDeadLetter;
import org.argosy.jobs.source.FlowStreams;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportOutput;
import org.argosy.query.report.ReportWindow;

/**
 * One job for all reports of a report file. Per report:
 *
 * <pre>
 * source -> decode ({@link FlowStreams}) -> flows
 *                  |-> dead letters: undecodable or absurd records, with the reason (flows-dlq)
 * flows -> filter -> combine per key and pane -> keyBy(cluster key) -> window: racluster merge
 *                       |-> late records (flows-late)                 -> aggregates (flow-aggregates)
 *   aggregates -> keyBy(window, key bucket) -> partial top N   (parallel)
 *              -> keyBy(window)             -> merged top N    (n rows per bucket in)  (flow-topn)
 * </pre>
 *
 * Without allowed lateness, a local top N per window and bucket in the window operator's task
 * ({@link RankBeforeShuffle}) sends the partial top N stage a few partial rankings per window
 * instead of every aggregate.
 *
 * <p>A record belongs to the window(s) containing its {@code stime}: sensor records are cut at
 * status-interval boundaries aligned to the epoch, so for windows that are multiples of the
 * interval no record spans a boundary; otherwise the whole record counts where it started (no
 * proportional split). Operator uids are {@code <stage>-<report name>}, stable across releases so
 * that savepoints survive upgrades; renaming a report starts its state afresh.
 */
public final class ReportJob {

  public static final String FLOWS_TOPIC = "flows";
  public static final String AGGREGATES_TOPIC = "flow-aggregates";
  public static final String TOPN_TOPIC = "flow-topn";
  public static final String AGGREGATES_JSON_TOPIC = "flow-aggregates-json";
  public static final String TOPN_JSON_TOPIC = "flow-topn-json";
  public static final String LATE_TOPIC = "flows-late";
  public static final String DEAD_LETTER_TOPIC = "flows-dlq";

  /** Every flow source of a job aligns its watermarks in this group. */
  static final String WATERMARK_ALIGNMENT_GROUP = "argosy-flows";

  /** A record that arrived after a report's window and lateness, with the report's name. */
  public static final TypeInformation<Tuple2<String, FlowRecord>> LATE_RECORD_TYPE =
      Types.TUPLE(Types.STRING, TypeInformation.of(FlowRecord.class));

  /** Partial aggregates a combiner holds before it flushes early: bounds its memory. */
  static final int MAX_PARTIALS_PER_SUBTASK = 100_000;

  private static final TypeInformation<Tuple2<String, FlowAggregate>> PARTIAL_TYPE =
      Types.TUPLE(Types.STRING, TypeInformation.of(FlowAggregate.class));

  private ReportJob() {}

  /** The result streams of the reports; a kind no report asked for is empty. */
  public record Outputs(
      Optional<DataStream<FlowAggregate>> aggregates,
      Optional<DataStream<TopNRanking>> rankings,
      DataStream<Tuple2<String, FlowRecord>> late) {}

  /** A built job's decoded flows and results. */
  public record Built(DataStream<FlowRecord> flows, Outputs outputs) {}

  /** Where the results go; {@code deadLetters} takes the records of the source not counted. */
  public record Sinks(
      Sink<FlowAggregate> aggregates,
      Sink<TopNRanking> rankings,
      Sink<Tuple2<String, FlowRecord>> late,
      Sink<DeadLetter> deadLetters) {}

  /**
   * Adds the whole job to {@code env}: {@code source} (e.g. {@code FlowTopics.flowSource}) through
   * {@link FlowStreams} and {@link #reports} into the sinks.
   *
   * @return the decoded flows and the reports' results, for more pipelines and sinks in the same
   *     job (the alert rules, the history store)
   */
  public static Built build(
      StreamExecutionEnvironment env,
      Source<FlowOrDeadLetter, ?, ?> source,
      Sinks sinks,
      List<ReportDefinition> reports,
      ReportJobOptions options) {
    enableObjectReuse(env);
    FlowStreams in = FlowStreams.from(env, source, watermarks(options));
    in.deadLetters().sinkTo(sinks.deadLetters()).uid("sink-dead-letters").name(DEAD_LETTER_TOPIC);
    Outputs outputs = reports(in.flows(), reports, options.rankBuckets());
    outputs
        .aggregates()
        .ifPresent(s -> s.sinkTo(sinks.aggregates()).uid("sink-aggregates").name(AGGREGATES_TOPIC));
    outputs
        .rankings()
        .ifPresent(s -> s.sinkTo(sinks.rankings()).uid("sink-rankings").name(TOPN_TOPIC));
    outputs.late().sinkTo(sinks.late()).uid("sink-late").name(LATE_TOPIC);
    return new Built(in.flows(), outputs);
  }

  /**
   * Chained operators hand records on without a deep copy each (the job's largest cost otherwise).
   * Safe because no operator of the job changes its input, and those that keep an input in state
   * keep a copy.
   */
  public static void enableObjectReuse(StreamExecutionEnvironment env) {
    env.getConfig().enableObjectReuse();
  }

  /**
   * Event time is the record's stime, per sensor within each partition (see {@link
   * SensorWatermarks}: a sensor behind, e.g. replaying its spool after a broker outage, holds the
   * watermark until it catches up or times out); idle partitions do not hold the watermark back;
   * with {@code quietAdvance}, silent partitions' event time follows the clock; with {@code
   * maxWatermarkDrift}, partitions ahead of the slowest by more than that pause (watermark
   * alignment).
   */
  public static WatermarkStrategy<FlowRecord> watermarks(ReportJobOptions options) {
    // The supplier is serialized with the job: it captures the durations, not the options.
    Duration outOfOrderness = options.maxOutOfOrderness();
    Duration quietAfter = options.quietAdvance();
    Duration idleness = options.sourceIdleness();
    Duration sensorTimeout = options.sensorTimeout();
    WatermarkStrategy<FlowRecord> strategy =
        WatermarkStrategy.<FlowRecord>forGenerator(
                context ->
                    new SensorWatermarks(
                        outOfOrderness, quietAfter, idleness, sensorTimeout, System::nanoTime))
            .withTimestampAssigner((record, previous) -> eventTime(record));
    return options.maxWatermarkDrift() == null
        ? strategy
        : strategy.withWatermarkAlignment(
            WATERMARK_ALIGNMENT_GROUP, options.maxWatermarkDrift(), Duration.ofSeconds(1));
  }

  public static WatermarkStrategy<FlowRecord> watermarks(
      Duration maxOutOfOrderness, Duration idleness) {
    return WatermarkStrategy.<FlowRecord>forBoundedOutOfOrderness(maxOutOfOrderness)
        .withTimestampAssigner((record, previous) -> eventTime(record))
        .withIdleness(idleness);
  }

  /** A record's event time in milliseconds: its start. */
  private static long eventTime(FlowRecord record) {
    return Math.floorDiv(record.getStime(), 1000L);
  }

  /** The reports over {@code flows}, which must carry event-time watermarks. */
  public static Outputs reports(
      DataStream<FlowRecord> flows, List<ReportDefinition> reports, int rankBuckets) {
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("no reports to run");
    }
    List<DataStream<FlowAggregate>> aggregates = new ArrayList<>();
    List<DataStream<TopNRanking>> rankings = new ArrayList<>();
    List<DataStream<Tuple2<String, FlowRecord>>> late = new ArrayList<>();
    for (ReportDefinition report : reports) {
      OutputTag<FlowRecord> lateTag =
          new OutputTag<>("late-" + report.name(), TypeInformation.of(FlowRecord.class));
      SingleOutputStreamOperator<Tuple2<String, FlowAggregate>> partials =
          combine(flows, report, lateTag);
      SingleOutputStreamOperator<FlowAggregate> merged = aggregate(partials, report);
      late.add(
          partials
              .getSideOutput(lateTag)
              .map(new TagLateRecord(report.name()))
              .returns(LATE_RECORD_TYPE)
              .uid("late-" + report.name())
              .name("late " + report.name()));
      if (report.outputs().contains(ReportOutput.AGGREGATES)) {
        aggregates.add(merged);
      }
      if (report.outputs().contains(ReportOutput.TOPN)) {
        rankings.add(rank(merged, report, rankBuckets));
      }
    }
    return new Outputs(union(aggregates), union(rankings), union(late).orElseThrow());
  }

  private static SingleOutputStreamOperator<FlowAggregate> aggregate(
      SingleOutputStreamOperator<Tuple2<String, FlowAggregate>> partials, ReportDefinition report) {
    String name = report.name();
    return partials
        .keyBy(partial -> partial.f0, Types.STRING)
        .window(assigner(report.window()))
        .allowedLateness(report.window().allowedLateness())
        .aggregate(new AggregateFlowRecords(), new LabelAggregate(name, report.clusterKey()))
        .uid("aggregate-" + name)
        .name("racluster -m " + report.clusterKey() + " per " + describe(report.window()));
  }

  /** Filters a report's records and merges them per key and pane before the shuffle. */
  private static SingleOutputStreamOperator<Tuple2<String, FlowAggregate>> combine(
      DataStream<FlowRecord> flows, ReportDefinition report, OutputTag<FlowRecord> lateTag) {
    String name = report.name();
    return flows
        .filter(new SelectRecords(name, report.filter()))
        .uid("filter-" + name)
        .name("filter " + name + (report.filter().isAll() ? "" : ": " + report.filter()))
        .transform(
            "combine " + name,
            PARTIAL_TYPE,
            new CombineBeforeShuffle(
                report.clusterKey(), report.window(), lateTag, MAX_PARTIALS_PER_SUBTASK))
        .uid("combine-" + name);
  }

  private static DataStream<TopNRanking> rank(
      SingleOutputStreamOperator<FlowAggregate> aggregates,
      ReportDefinition report,
      int rankBuckets) {
    String name = report.name();
    String order = String.join(" ", report.order().keyNames());
    String partialName = "partial top " + report.n() + " by " + order + " of " + name;
    SingleOutputStreamOperator<Tuple2<Integer, TopNRanking>> partials;
    if (report.window().allowedLateness().isZero()) {
      partials =
          aggregates
              .transform(
                  "local top " + report.n() + " by " + order + " of " + name,
                  TypeInformation.of(TopNRanking.class),
                  new RankBeforeShuffle(report, rankBuckets))
              .uid("local-top-" + name)
              .keyBy(partial -> RankingKeys.partialKey(partial.getRows().get(0), rankBuckets))
              .process(new BoundedPartialTopN(report, rankBuckets));
    } else {
      partials =
          aggregates
              .keyBy(aggregate -> RankingKeys.partialKey(aggregate, rankBuckets))
              .process(new PartialTopN(report, rankBuckets));
    }
    return partials
        .returns(Types.TUPLE(Types.INT, TypeInformation.of(TopNRanking.class)))
        .uid("partial-top-" + name)
        .name(partialName)
        .keyBy(partial -> partial.f1.getWindowStart())
        .process(new MergeTopN(report))
        .uid("rank-" + name)
        .name("top " + report.n() + " by " + order + " of " + name);
  }

  public static WindowAssigner<Object, TimeWindow> assigner(ReportWindow window) {
    return window.isTumbling()
        ? TumblingEventTimeWindows.of(window.size(), window.alignmentOffset())
        : SlidingEventTimeWindows.of(window.size(), window.slide(), window.alignmentOffset());
  }

  private static String describe(ReportWindow window) {
    String size = window.size().toSeconds() + "s";
    return window.isTumbling() ? size : size + " every " + window.slide().toSeconds() + "s";
  }

  /** The streams as one; empty when there are none. */
  public static <T> Optional<DataStream<T>> union(List<DataStream<T>> streams) {
    if (streams.isEmpty()) {
      return Optional.empty();
    }
    DataStream<T> first = streams.get(0);
    return Optional.of(
        streams.size() == 1
            ? first
            : first.union(streams.subList(1, streams.size()).toArray(DataStream[]::new)));
  }
}

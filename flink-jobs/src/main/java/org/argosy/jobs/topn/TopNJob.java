package org.argosy.jobs.topn;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;

/**
 * The ranking job: flow records in, one {@link TopNRanking} per report window out. Source and sink
 * are parameters so that tests and the demo can plug in what they need.
 *
 * <pre>
 * source -> watermarks(stime) -> keyBy(cluster key) -> tumbling window: racluster merge
 *        -> keyBy(window) -> rank when the window's watermark has passed -> sink
 * </pre>
 */
public final class TopNJob {

  public static final String FLOWS_TOPIC = "flows";
  public static final String TOPN_TOPIC = "flow-topn";

  /** Partitions with no records for this long stop holding back the watermark. */
  static final Duration SOURCE_IDLENESS = Duration.ofSeconds(5);

  private TopNJob() {}

  /**
   * Adds the job's operators to {@code env}: {@code source} through {@link #rankings} into {@code
   * sink}.
   *
   * @param maxOutOfOrderness how far behind the newest record a record may arrive and still count
   */
  public static void build(
      StreamExecutionEnvironment env,
      Source<FlowRecord, ?, ?> source,
      Sink<TopNRanking> sink,
      TopNReport report,
      Duration maxOutOfOrderness) {
    DataStream<FlowRecord> flows =
        env.fromSource(source, watermarks(maxOutOfOrderness), "flow records").uid("flows-source");
    rankings(flows, report).sinkTo(sink).uid("sink-" + report.name()).name("rankings");
  }

  /** Event time is the record's stime; idle partitions do not hold the watermark back. */
  public static WatermarkStrategy<FlowRecord> watermarks(Duration maxOutOfOrderness) {
    return WatermarkStrategy.<FlowRecord>forBoundedOutOfOrderness(maxOutOfOrderness)
        .withTimestampAssigner((record, previous) -> Math.floorDiv(record.getStime(), 1000L))
        .withIdleness(SOURCE_IDLENESS);
  }

  /** One ranking per window of {@code flows}, which must carry event-time watermarks. */
  public static DataStream<TopNRanking> rankings(DataStream<FlowRecord> flows, TopNReport report) {
    return flows
        .keyBy(new ClusterKeySelector(report.clusterKey()))
        .window(TumblingEventTimeWindows.of(report.window()))
        .aggregate(new AggregateFlowRecords(), new LabelAggregate(report))
        .uid("aggregate-" + report.name())
        .name("racluster " + report.clusterKey() + " per " + report.window().toSeconds() + "s")
        .keyBy(aggregate -> aggregate.getWindowStart())
        .process(new RankWindow(report))
        .uid("rank-" + report.name())
        .name("top " + report.n() + " by " + String.join(" ", report.order().keyNames()));
  }
}

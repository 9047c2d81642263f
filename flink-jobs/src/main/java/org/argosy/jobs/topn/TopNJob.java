package org.argosy.jobs.topn;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.report.ReportJob;

/**
 * The single-ranking shorthand of the report engine ({@link ReportJob}): every record, one cluster
 * key, one tumbling window, one ranking per window.
 */
public final class TopNJob {

  /** Partitions with no records for this long stop holding back the watermark. */
  static final Duration SOURCE_IDLENESS = Duration.ofSeconds(5);

  /** Partial rankings per window; a handful is plenty for one report's key space. */
  static final int RANK_BUCKETS = 8;

  private TopNJob() {}

  /** Event time is the record's stime; idle partitions do not hold the watermark back. */
  public static WatermarkStrategy<FlowRecord> watermarks(Duration maxOutOfOrderness) {
    return ReportJob.watermarks(maxOutOfOrderness, SOURCE_IDLENESS);
  }

  /** One ranking per window of {@code flows}, which must carry event-time watermarks. */
  public static DataStream<TopNRanking> rankings(DataStream<FlowRecord> flows, TopNReport report) {
    return ReportJob.reports(flows, List.of(report.toDefinition()), RANK_BUCKETS)
        .rankings()
        .orElseThrow();
  }
}

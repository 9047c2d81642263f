package org.argosy.cli.alerts;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.FlowRecord;
import org.argosy.jobs.alert.AlertJob;
import org.argosy.query.alert.AlertRule;

/**
 * Runs {@link AlertJob} on a local Flink mini cluster (parallelism 2) over flow records, and
 * returns every alert it wrote and every record it found too late for a window. The input is a list
 * of parts, each a run of records in stime order moved by a shift; parts follow each other in time,
 * so the event time only ever advances and the end of the input (the final watermark) closes every
 * window and resolves every open alert.
 */
final class AlertRun {

  /** Records in order of stime, replayed {@code shiftMicros} later. */
  record Part(List<FlowRecord> records, long shiftMicros) implements Serializable {}

  /** What the job wrote: its alerts, and the (rule, record) pairs that came too late. */
  record Result(List<FlowAlert> alerts, List<Tuple2<String, FlowRecord>> late) {}

  private static final int PARALLELISM = 2;
  private static final int RANK_BUCKETS = 4;

  private AlertRun() {}

  static Result run(List<AlertRule> rules, List<Part> parts) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM);
    DataStream<FlowRecord> flows =
        env.fromSequence(0, parts.size() - 1)
            .setParallelism(1)
            .flatMap(new EmitPart(parts))
            .returns(TypeInformation.of(FlowRecord.class))
            .setParallelism(1)
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<FlowRecord>forMonotonousTimestamps()
                    .withTimestampAssigner((record, previous) -> record.getStime() / 1000))
            .setParallelism(1);
    AlertJob.Outputs outputs = AlertJob.alerts(flows, rules, RANK_BUCKETS);
    List<FlowAlert> alerts = new ArrayList<>();
    List<Tuple2<String, FlowRecord>> late = new ArrayList<>();
    try (CloseableIterator<FlowAlert> written = outputs.alerts().collectAsync();
        CloseableIterator<Tuple2<String, FlowRecord>> tooLate = outputs.late().collectAsync()) {
      env.execute("alert scenario");
      written.forEachRemaining(alerts::add);
      tooLate.forEachRemaining(late::add);
    }
    return new Result(alerts, late);
  }

  /** Emits part number {@code index}: the sequence source drives the parts in order. */
  private static final class EmitPart implements FlatMapFunction<Long, FlowRecord> {
    private final List<Part> parts;

    EmitPart(List<Part> parts) {
      this.parts = List.copyOf(parts);
    }

    @Override
    public void flatMap(Long index, Collector<FlowRecord> out) {
      Part part = parts.get(index.intValue());
      for (FlowRecord record : part.records()) {
        out.collect(Metering.shifted(record, part.shiftMicros()));
      }
    }
  }
}

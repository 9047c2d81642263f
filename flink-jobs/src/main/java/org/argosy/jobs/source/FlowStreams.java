package org.argosy.jobs.source;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkAlignmentParams;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.argosy.avro.FlowRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoded flow records of a source and its dead letters, as two streams: the one entry point
 * for every job that reads {@code flows}.
 *
 * <pre>{@code
 * FlowStreams in = FlowStreams.from(env,
 *     FlowTopics.flowSource(bootstrap, "flows", group, false, Map.of()), watermarks);
 * in.flows()        // FlowRecord, event-time timestamps and per-partition watermarks
 * in.deadLetters()  // DeadLetter -> FlowTopics.sinks(bootstrap, job, Map.of()).deadLetters("flows-dlq")
 * }</pre>
 *
 * <p>Records are decoded inside the source (its deserializer produces {@link FlowOrDeadLetter}), so
 * {@code watermarks} runs per Kafka partition on the flow records only: a dead letter neither
 * advances a partition's watermark nor counts as activity for idleness. The operator right after
 * the source (chained, uid {@code <uidPrefix>-split}) sends dead letters to a side output, counts
 * them in the metric {@code deadLetters} in total and per reason (group {@code reason=<REASON>}),
 * and logs them (the first {@value #LOGGED_IN_FULL} per subtask, then every {@value #LOG_EVERY}th).
 *
 * @param flows the flow records, with timestamps and watermarks
 * @param deadLetters the records that are not counted, with their reason
 */
public record FlowStreams(
    SingleOutputStreamOperator<FlowRecord> flows, DataStream<DeadLetter> deadLetters) {

  /** The uid prefix {@link #from(StreamExecutionEnvironment, Source, WatermarkStrategy)} uses. */
  public static final String DEFAULT_UID_PREFIX = "flows";

  static final int LOGGED_IN_FULL = 100;
  static final int LOG_EVERY = 10_000;

  static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  /**
   * Reads {@code source} (e.g. {@code FlowTopics.flowSource}) with operator uids {@code
   * flows-source} and {@code flows-split}.
   *
   * @param watermarks event time and watermarks of the flow records (e.g. {@code
   *     ReportJob.watermarks})
   */
  public static FlowStreams from(
      StreamExecutionEnvironment env,
      Source<FlowOrDeadLetter, ?, ?> source,
      WatermarkStrategy<FlowRecord> watermarks) {
    return from(env, source, watermarks, DEFAULT_UID_PREFIX);
  }

  /** As above, with operator uids {@code <uidPrefix>-source} and {@code <uidPrefix>-split}. */
  public static FlowStreams from(
      StreamExecutionEnvironment env,
      Source<FlowOrDeadLetter, ?, ?> source,
      WatermarkStrategy<FlowRecord> watermarks,
      String uidPrefix) {
    SingleOutputStreamOperator<FlowRecord> flows =
        env.fromSource(source, new OnFlows(watermarks), "flow records")
            .uid(uidPrefix + "-source")
            .process(new SplitDeadLetters())
            .returns(TypeInformation.of(FlowRecord.class))
            .uid(uidPrefix + "-split")
            .name("decoded flows");
    return new FlowStreams(flows, flows.getSideOutput(DEAD_LETTERS));
  }

  /** A flow-record watermark strategy applied to the flows among flows and dead letters. */
  static final class OnFlows implements WatermarkStrategy<FlowOrDeadLetter> {
    private final WatermarkStrategy<FlowRecord> flows;

    OnFlows(WatermarkStrategy<FlowRecord> flows) {
      this.flows = flows;
    }

    @Override
    public WatermarkGenerator<FlowOrDeadLetter> createWatermarkGenerator(
        WatermarkGeneratorSupplier.Context context) {
      WatermarkGenerator<FlowRecord> generator = flows.createWatermarkGenerator(context);
      return new WatermarkGenerator<>() {
        @Override
        public void onEvent(FlowOrDeadLetter event, long timestamp, WatermarkOutput output) {
          if (event.isFlow()) {
            generator.onEvent(event.flow, timestamp, output);
          }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
          generator.onPeriodicEmit(output);
        }
      };
    }

    @Override
    public TimestampAssigner<FlowOrDeadLetter> createTimestampAssigner(
        TimestampAssignerSupplier.Context context) {
      TimestampAssigner<FlowRecord> assigner = flows.createTimestampAssigner(context);
      // A dead letter keeps its Kafka timestamp; it reaches no event-time operator.
      return (event, kafkaTimestamp) ->
          event.isFlow() ? assigner.extractTimestamp(event.flow, kafkaTimestamp) : kafkaTimestamp;
    }

    @Override
    public WatermarkAlignmentParams getAlignmentParameters() {
      return flows.getAlignmentParameters();
    }
  }

  /** Flows on, dead letters to the side output, counted and logged. */
  static final class SplitDeadLetters extends ProcessFunction<FlowOrDeadLetter, FlowRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(FlowStreams.class);

    private transient Counter total;
    private transient Map<DeadLetterReason, Counter> byReason;

    @Override
    public void open(OpenContext openContext) {
      MetricGroup metrics = getRuntimeContext().getMetricGroup();
      total = metrics.counter("deadLetters");
      byReason = new EnumMap<>(DeadLetterReason.class);
      for (DeadLetterReason reason : DeadLetterReason.values()) {
        byReason.put(reason, metrics.addGroup("reason", reason.name()).counter("deadLetters"));
      }
    }

    @Override
    public void processElement(FlowOrDeadLetter in, Context context, Collector<FlowRecord> out) {
      if (in.isFlow()) {
        out.collect(in.flow);
        return;
      }
      DeadLetter letter = in.deadLetter;
      total.inc();
      byReason.get(letter.reasonCode()).inc();
      long count = total.getCount();
      if (count <= LOGGED_IN_FULL || count % LOG_EVERY == 0) {
        LOG.warn("dead letter #{} of this subtask: {}", count, letter);
      }
      context.output(DEAD_LETTERS, letter);
    }
  }
}

package org.argosy.jobs.alert;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAlert;

/**
 * First stage of an elephant rule's share test, in parallel: for one window and one bucket of
 * conversations, the bucket's total bytes and its {@code keep} biggest conversations. A
 * conversation with at least a share {@code s} of the window's bytes has at least {@code s} of its
 * bucket's bytes too, so it is among the bucket's {@code ceil(1/s)} biggest: keeping that many per
 * bucket loses no elephant. Emits (bucket, bucket bytes, conversation) once the window is complete.
 */
final class TopFlowsPerBucket
    extends KeyedProcessFunction<String, FlowAlert, Tuple3<Integer, Double, FlowAlert>> {

  private final int keep;
  private final int buckets;
  private transient ValueState<Double> bucketBytes;
  private transient MapState<String, FlowAlert> biggest;

  TopFlowsPerBucket(int keep, int buckets) {
    this.keep = keep;
    this.buckets = buckets;
  }

  /** The key of this stage: the window and the conversation's bucket. */
  static String key(FlowAlert conversation, int buckets) {
    return conversation.getWindowStart() + "/" + bucket(conversation, buckets);
  }

  private static int bucket(FlowAlert conversation, int buckets) {
    return Math.floorMod(Candidates.keyText(conversation.getKey()).hashCode(), buckets);
  }

  @Override
  public void open(OpenContext openContext) {
    bucketBytes = getRuntimeContext().getState(new ValueStateDescriptor<>("bytes", Double.class));
    biggest =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "biggest",
                    TypeInformation.of(String.class),
                    TypeInformation.of(FlowAlert.class)));
  }

  @Override
  public void processElement(
      FlowAlert conversation, Context ctx, Collector<Tuple3<Integer, Double, FlowAlert>> out)
      throws Exception {
    Double sum = bucketBytes.value();
    bucketBytes.update((sum == null ? 0 : sum) + conversation.getObserved());
    String smallestKey = null;
    double smallest = Double.MAX_VALUE;
    int size = 0;
    for (var entry : biggest.entries()) {
      size++;
      if (entry.getValue().getObserved() < smallest) {
        smallest = entry.getValue().getObserved();
        smallestKey = entry.getKey();
      }
    }
    if (size < keep || conversation.getObserved() > smallest) {
      if (size >= keep) {
        biggest.remove(smallestKey);
      }
      biggest.put(
          Candidates.keyText(conversation.getKey()), FlowAlert.newBuilder(conversation).build());
    }
    ctx.timerService().registerEventTimeTimer(ctx.timestamp());
  }

  @Override
  public void onTimer(
      long timestamp, OnTimerContext ctx, Collector<Tuple3<Integer, Double, FlowAlert>> out)
      throws Exception {
    Double sum = bucketBytes.value();
    if (sum == null) {
      return;
    }
    for (FlowAlert conversation : biggest.values()) {
      out.collect(Tuple3.of(bucket(conversation, buckets), sum, conversation));
    }
    bucketBytes.clear();
    biggest.clear();
  }
}

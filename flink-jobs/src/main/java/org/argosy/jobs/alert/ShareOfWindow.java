package org.argosy.jobs.alert;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAlert;

/**
 * Second stage of an elephant rule's share test, keyed by window: adds up the buckets' bytes into
 * the window's, and raises every conversation holding at least {@code share} of them. The
 * candidate's threshold is that share in bytes, so it reads as "observed bytes above threshold".
 */
final class ShareOfWindow
    extends KeyedProcessFunction<Long, Tuple3<Integer, Double, FlowAlert>, FlowAlert> {

  private final double share;
  private transient MapState<Integer, Double> bucketBytes;
  private transient ListState<FlowAlert> conversations;

  ShareOfWindow(double share) {
    this.share = share;
  }

  @Override
  public void open(OpenContext openContext) {
    bucketBytes =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("bucketBytes", Types.INT, Types.DOUBLE));
    conversations =
        getRuntimeContext()
            .getListState(
                new ListStateDescriptor<>("conversations", TypeInformation.of(FlowAlert.class)));
  }

  @Override
  public void processElement(
      Tuple3<Integer, Double, FlowAlert> fromBucket, Context ctx, Collector<FlowAlert> out)
      throws Exception {
    bucketBytes.put(fromBucket.f0, fromBucket.f1);
    conversations.add(FlowAlert.newBuilder(fromBucket.f2).build());
    ctx.timerService().registerEventTimeTimer(ctx.timestamp());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlowAlert> out)
      throws Exception {
    double windowBytes = 0;
    for (double bytes : bucketBytes.values()) {
      windowBytes += bytes;
    }
    double threshold = share * windowBytes;
    for (FlowAlert conversation : conversations.get()) {
      if (conversation.getObserved() >= threshold) {
        conversation.setThreshold(threshold);
        out.collect(conversation);
      }
    }
    bucketBytes.clear();
    conversations.clear();
  }
}

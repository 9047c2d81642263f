package org.argosy.deploy;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A bounded job that LocalClusterITCase packs into a jar and submits through the local cluster's
 * REST API: it finishes by itself, so the test can wait for FINISHED.
 */
public final class SmokeJob {

  private SmokeJob() {}

  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSequence(1, 10_000).filter(n -> n % 7 == 0).sinkTo(new DiscardingSink<>());
    env.execute("argosy local cluster smoke job");
  }
}

package org.argosy.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.argosy.avro.FlowRecord;
import org.argosy.kafka.embedded.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task of the report job fails mid-window: its source throws once, after a checkpoint has
 * completed and while every window still holds state (no window closes before the end of the
 * input). The job restarts from its latest checkpoint (restart strategy fixed-delay) and runs to
 * the end; its rankings, aggregates and late records, read with read_committed, are identical to
 * those of a run without the failure, and none is duplicated.
 */
class ReportJobFailoverITCase {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = JobOnKafka.miniCluster(new Configuration());

  /** Records a source subtask reads before the failure, of about 146 each. */
  private static final long FAIL_AFTER = 60;

  /** A pause per record, so that several checkpoints (every 300 ms) complete before it fails. */
  private static final long PAUSE_NANOS = 20_000_000;

  @Test
  @Timeout(300)
  void aTaskFailingMidWindowRestartsFromItsCheckpointAndChangesNoResult(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    List<FlowRecord> records = JobOnKafka.demoRecords();
    assertThat(records.size()).isGreaterThan(2 * (int) FAIL_AFTER);
    JobOnKafka kafka = new JobOnKafka(KAFKA.bootstrapServers());
    kafka.prepareReference(KAFKA::createTopics, records, "reference", "failover");

    StreamExecutionEnvironment failover =
        JobOnKafka.environment(JobOnKafka.restartOnFailure(3, Duration.ofMillis(200)));
    ThrottledFlowDeserializer.reset(true);
    kafka.addReportJob(
        failover,
        "failover",
        kafka.source("failover", new ThrottledFlowDeserializer(PAUSE_NANOS, FAIL_AFTER)));
    JobID job = failover.execute("failover").getJobID();

    ThrottledFlowDeserializer.assertFailedOnceAndRestoredACheckpoint(
        cluster.getArchivedExecutionGraph(job).get());

    kafka.assertSameResults("reference", "failover");
  }
}

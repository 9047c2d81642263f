package org.argosy.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
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
 * A task of the alert job fails mid-window: its source throws once, after checkpoints have
 * completed, when the first windows have closed and their alerts been committed, while later
 * windows still hold state. The job restarts from its latest checkpoint (restart strategy
 * fixed-delay) and runs to the end; the alerts it committed, on the JSON and the Avro topic, are
 * those of a run without the failure: the same ids, statuses and values, none twice.
 */
class AlertJobFailoverITCase {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = JobOnKafka.miniCluster(new Configuration());

  /**
   * A pause per record: a source subtask reads its 146 or so records for about 6 s, so that the
   * first windows close and their alerts commit (checkpoints every 300 ms) while it still reads.
   */
  private static final long PAUSE_NANOS = 40_000_000;

  @Test
  @Timeout(300)
  void aTaskFailingMidWindowRestartsFromItsCheckpointAndChangesNoAlert(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    List<FlowRecord> records = JobOnKafka.demoRecords();
    AlertJobOnKafka.assertNoneWouldBeLate(records);
    JobOnKafka kafka = new JobOnKafka(KAFKA.bootstrapServers());
    AlertJobOnKafka alerts = new AlertJobOnKafka(KAFKA.bootstrapServers());
    alerts.prepareReference(KAFKA::createTopics, records, "reference", "failover");

    StreamExecutionEnvironment failover =
        JobOnKafka.environment(JobOnKafka.restartOnFailure(3, Duration.ofMillis(200)));
    ThrottledFlowDeserializer.reset(false);
    alerts.addAlertJob(
        failover,
        "failover",
        kafka.source("failover", new ThrottledFlowDeserializer(PAUSE_NANOS, 0)));
    JobClient job = failover.executeAsync("alert failover");
    int committedBeforeTheFailure = awaitCommittedAlerts(alerts, job);
    ThrottledFlowDeserializer.arm(); // the next record a subtask reads fails it
    job.getJobExecutionResult().get(4, TimeUnit.MINUTES);

    ThrottledFlowDeserializer.assertFailedOnceAndRestoredACheckpoint(
        cluster.getArchivedExecutionGraph(job.getJobID()).get());
    alerts.assertSameAlerts("reference", "failover");
    int all = alerts.alerts("failover").size();
    System.out.printf(
        "alert failover: %d of %d alerts committed before the failure%n",
        committedBeforeTheFailure, all);
    assertThat(committedBeforeTheFailure).isLessThan(all);
  }

  /** Waits until the running job has committed alerts, and returns how many. */
  private static int awaitCommittedAlerts(AlertJobOnKafka alerts, JobClient job) throws Exception {
    while (true) {
      int committed = alerts.alerts("failover").size();
      if (committed > 0) {
        return committed;
      }
      assertThat(job.getJobStatus().get().isGloballyTerminalState())
          .as("the job ended before it committed an alert")
          .isFalse();
      Thread.sleep(50);
    }
  }
}

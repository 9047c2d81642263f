package org.argosy.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.argosy.avro.FlowRecord;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.RestartableKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka broker (a process of its own) is killed with SIGKILL while the report job reads flows
 * and writes its results in transactions, and restarted on the same port and data a few seconds
 * later. The job (restart strategy fixed-delay) rides it out and runs to the end of its input; its
 * rankings and aggregates, read with read_committed, are identical to those of a run without the
 * outage, and none is duplicated.
 */
class BrokerRestartITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = JobOnKafka.miniCluster(new Configuration());

  /** A pause per record: the job reads for about 3 s, so the kill lands in the middle. */
  private static final long PAUSE_NANOS = 20_000_000;

  private static final Duration BEFORE_KILL = Duration.ofMillis(1_500);
  private static final Duration OUTAGE = Duration.ofSeconds(3);

  @Test
  @Timeout(600)
  void aBrokerKilledAndRestartedWhileTheJobRunsChangesNoResult(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    List<FlowRecord> records = JobOnKafka.demoRecords();
    try (RestartableKafkaBroker broker = EmbeddedKafka.builder().startRestartable()) {
      JobOnKafka kafka = new JobOnKafka(broker.bootstrapServers());
      kafka.prepareReference(broker::createTopics, records, "steady", "outage");

      StreamExecutionEnvironment env =
          JobOnKafka.environment(JobOnKafka.restartOnFailure(30, Duration.ofSeconds(1)));
      kafka.addReportJob(
          env, "outage", kafka.source("outage", new ThrottledFlowDeserializer(PAUSE_NANOS, -1)));
      JobClient job = env.executeAsync("broker outage");
      Thread.sleep(BEFORE_KILL.toMillis());
      assertThat(job.getJobStatus().get())
          .as("killed while the job runs")
          .isEqualTo(JobStatus.RUNNING);
      broker.kill();
      Thread.sleep(OUTAGE.toMillis());
      broker.restart();
      job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
      ErrorInfo failure = cluster.getArchivedExecutionGraph(job.getJobID()).get().getFailureInfo();
      System.out.println(
          "broker outage: the job "
              + (failure == null
                  ? "did not fail"
                  : "failed and restarted, last: "
                      + failure.getExceptionAsString().lines().findFirst().orElse("")));

      kafka.assertSameResults("steady", "outage");
    }
  }
}

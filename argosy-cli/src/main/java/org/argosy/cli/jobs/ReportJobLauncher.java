package org.argosy.cli.jobs;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.argosy.cli.demo.FlinkScratchDirectory;
import org.argosy.jobs.kafka.FlowTopics;
import org.argosy.jobs.report.ReportJob;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.query.report.ReportDefinition;

/**
 * Starts the report job, reading topic {@code flows} of a Kafka cluster and writing {@code
 * flow-aggregates}, {@code flow-topn} and {@code flows-late} there with exactly-once transactions.
 * Submitted to a Flink cluster (REST, CLI, the Kubernetes operator) it runs in that cluster;
 * otherwise on a Flink cluster inside this process with every listener on 127.0.0.1 and the web UI
 * on the port asked for.
 */
public final class ReportJobLauncher {

  /**
   * @param bootstrapServers the Kafka cluster
   * @param bounded stop at the end of what {@code flows} holds when the job starts
   * @param webUiPort 0 picks a free port
   */
  public record Settings(
      String bootstrapServers,
      List<ReportDefinition> reports,
      ReportJobOptions options,
      boolean bounded,
      int webUiPort,
      int parallelism,
      String consumerGroup) {}

  /** The submitted job, and whether it went to a Flink cluster that launched this program. */
  public record Launched(JobClient job, boolean inCluster) {}

  private static volatile boolean submittedToCluster;

  private ReportJobLauncher() {}

  /** Whether this process submitted the job to a Flink cluster that runs this program. */
  public static boolean submittedToCluster() {
    return submittedToCluster;
  }

  /** Submits the job and returns at once; the client waits for or cancels it. */
  public static Launched start(Settings settings) throws Exception {
    // A cluster that runs this program installs its own environment; outside one, Flink offers a
    // local environment, which is replaced by one with the web UI and loopback-only listeners.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    boolean inCluster = !(env instanceof LocalStreamEnvironment);
    if (!inCluster) {
      env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(configuration(settings));
      env.setParallelism(settings.parallelism());
    }
    String bootstrap = settings.bootstrapServers();
    String prefix = settings.consumerGroup();
    ReportJob.build(
        env,
        FlowTopics.flowSource(
            bootstrap, ReportJob.FLOWS_TOPIC, prefix, settings.bounded(), Map.of()),
        new ReportJob.Sinks(
            FlowTopics.aggregateSink(
                bootstrap, ReportJob.AGGREGATES_TOPIC, prefix + "-aggregates", Map.of()),
            FlowTopics.rankingSink(bootstrap, ReportJob.TOPN_TOPIC, prefix + "-topn", Map.of()),
            FlowTopics.lateSink(bootstrap, ReportJob.LATE_TOPIC, prefix + "-late", Map.of())),
        settings.reports(),
        settings.options());
    JobClient job =
        env.executeAsync(
            "argosy reports: "
                + String.join(
                    ", ", settings.reports().stream().map(ReportDefinition::name).toList()));
    submittedToCluster |= inCluster;
    return new Launched(job, inCluster);
  }

  private static Configuration configuration(Settings settings) {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, Integer.toString(settings.webUiPort()));
    conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, settings.parallelism());
    FlinkScratchDirectory.apply(conf);
    return settings.options().applyTo(conf);
  }
}

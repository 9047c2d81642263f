package org.argosy.cli.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.argosy.cli.demo.FlinkScratchDirectory;
import org.argosy.jobs.alert.AlertJob;
import org.argosy.jobs.kafka.FlowTopics;
import org.argosy.jobs.kafka.TopicSinks;
import org.argosy.jobs.report.ReportJob;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.jobs.store.HistoryStore;
import org.argosy.query.alert.AlertRule;
import org.argosy.query.report.ReportDefinition;
import org.argosy.tools.kafka.KafkaClientSettings;

/**
 * Starts the report and alert job, reading topic {@code flows} of a Kafka cluster and writing
 * {@code flow-aggregates}, {@code flow-topn}, {@code flow-alerts}, {@code flow-alerts-avro}, {@code
 * flows-late} and {@code flows-dlq} (records of {@code flows} that are not counted, with the
 * reason) there with exactly-once transactions. Reports and rules share one source and one job.
 * Submitted to a Flink cluster (REST, CLI, the Kubernetes operator) it runs in that cluster;
 * otherwise on a Flink cluster inside this process with every listener on 127.0.0.1 and the web UI
 * on the port asked for.
 */
public final class ReportJobLauncher {

  /** Operator instances when run here and no --parallelism is given: one per core of 2. */
  public static final int DEFAULT_PARALLELISM = 2;

  private static final MemorySize LOCAL_NETWORK_MEMORY = MemorySize.ofMebiBytes(256);

  /**
   * @param bootstrapServers the Kafka cluster
   * @param client the Kafka client properties (TLS, SASL) of every source and sink; they travel in
   *     the job's operators, not in the Flink configuration that the web UI shows
   * @param reports the reports; may be empty when there are rules
   * @param rules the alert rules, writing {@code flow-alerts} (JSON) and {@code flow-alerts-avro};
   *     may be empty. Report and rule names must all differ (they name the job's operators).
   * @param store where the reports' aggregates and rankings are also kept; null for none
   * @param json also write the reports' results as JSON to {@code flow-aggregates-json} and {@code
   *     flow-topn-json}
   * @param bounded stop at the end of what {@code flows} holds when the job starts
   * @param webUiPort 0 picks a free port
   */
  public record Settings(
      String bootstrapServers,
      KafkaClientSettings client,
      List<ReportDefinition> reports,
      List<AlertRule> rules,
      ReportJobOptions options,
      boolean bounded,
      int webUiPort,
      Integer parallelism,
      String consumerGroup,
      HistoryStore store,
      boolean json) {

    public Settings {
      reports = List.copyOf(reports);
      rules = List.copyOf(rules);
      if (reports.isEmpty() && rules.isEmpty()) {
        throw new IllegalArgumentException("nothing to run: give reports, alert rules or both");
      }
      Set<String> seen = new HashSet<>();
      for (String name : names(reports, rules)) {
        if (!seen.add(name)) {
          throw new IllegalArgumentException(
              "the name '"
                  + name
                  + "' is both a report and an alert rule; they share one job, rename one");
        }
      }
    }

    /**
     * Parallel instances of every operator when run here. In a Flink cluster a {@code null}
     * parallelism leaves the cluster's (its parallelism.default, or the submission's).
     */
    public int localParallelism() {
      return parallelism == null ? DEFAULT_PARALLELISM : parallelism;
    }

    /** The names of the reports, then of the rules. */
    public List<String> names() {
      return names(reports, rules);
    }

    private static List<String> names(List<ReportDefinition> reports, List<AlertRule> rules) {
      List<String> names = new ArrayList<>();
      reports.forEach(report -> names.add(report.name()));
      rules.forEach(rule -> names.add(rule.name()));
      return names;
    }
  }

  /** The submitted job, and whether it went to a Flink cluster that launched this program. */
  public record Launched(JobClient job, boolean inCluster) {}

  private ReportJobLauncher() {}

  /**
   * Whether a Flink cluster runs this program (its JobManager calls main() to submit the job): a
   * cluster installs its own execution environment; outside one, Flink offers a local one.
   */
  public static boolean runByFlinkCluster() {
    return !(StreamExecutionEnvironment.getExecutionEnvironment()
        instanceof LocalStreamEnvironment);
  }

  /** Submits the job and returns at once; the client waits for or cancels it. */
  public static Launched start(Settings settings) throws Exception {
    // Outside a cluster, Flink's local environment is replaced by one with the web UI and
    // loopback-only listeners.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    boolean inCluster = !(env instanceof LocalStreamEnvironment);
    if (!inCluster) {
      env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(configuration(settings));
      env.setParallelism(settings.localParallelism());
    } else if (settings.parallelism() != null) {
      env.setParallelism(settings.parallelism());
    }
    String bootstrap = settings.bootstrapServers();
    String prefix = settings.consumerGroup();
    Map<String, String> client = settings.client().properties();
    var source =
        FlowTopics.flowSource(bootstrap, ReportJob.FLOWS_TOPIC, prefix, settings.bounded(), client);
    TopicSinks sinks = FlowTopics.sinks(bootstrap, prefix, client);
    var deadLetters = sinks.deadLetters(ReportJob.DEAD_LETTER_TOPIC);
    // The alert rules write flows-late too, from a sink of their own: another prefix.
    TopicSinks alertTopics = FlowTopics.sinks(bootstrap, prefix + "-alerts", client);
    AlertJob.Sinks alertSinks =
        new AlertJob.Sinks(
            alertTopics.alertsJson(AlertJob.ALERTS_TOPIC),
            alertTopics.alertsAvro(AlertJob.ALERTS_AVRO_TOPIC),
            alertTopics.late(ReportJob.LATE_TOPIC));
    if (settings.reports().isEmpty()) {
      AlertJob.build(env, source, alertSinks, deadLetters, settings.rules(), settings.options());
    } else {
      ReportJob.Built built =
          ReportJob.build(
              env,
              source,
              new ReportJob.Sinks(
                  sinks.aggregates(ReportJob.AGGREGATES_TOPIC),
                  sinks.rankings(ReportJob.TOPN_TOPIC),
                  sinks.late(ReportJob.LATE_TOPIC),
                  deadLetters),
              settings.reports(),
              settings.options());
      if (settings.store() != null) {
        settings.store().attach(built.outputs());
      }
      if (settings.json()) {
        addJsonSinks(built.outputs(), sinks);
      }
      if (!settings.rules().isEmpty()) {
        AlertJob.attach(
            built.flows(), alertSinks, settings.rules(), settings.options().rankBuckets());
      }
    }
    JobClient job = env.executeAsync("argosy: " + String.join(", ", settings.names()));
    return new Launched(job, inCluster);
  }

  private static void addJsonSinks(ReportJob.Outputs outputs, TopicSinks sinks) {
    outputs
        .aggregates()
        .ifPresent(
            aggregates ->
                aggregates
                    .sinkTo(sinks.aggregatesJson(ReportJob.AGGREGATES_JSON_TOPIC))
                    .uid("sink-aggregates-json")
                    .name(ReportJob.AGGREGATES_JSON_TOPIC));
    outputs
        .rankings()
        .ifPresent(
            rankings ->
                rankings
                    .sinkTo(sinks.rankingsJson(ReportJob.TOPN_JSON_TOPIC))
                    .uid("sink-rankings-json")
                    .name(ReportJob.TOPN_JSON_TOPIC));
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
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, settings.localParallelism());
    // A local cluster gets 64 MiB of network buffers; with every report and rule an exchange of
    // its own that is too few (Flink warns "Memory usage [110%] is too high"), and throughput
    // falls.
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, LOCAL_NETWORK_MEMORY);
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, LOCAL_NETWORK_MEMORY);
    Path scratch = FlinkScratchDirectory.apply(conf);
    settings.options().applyToLocalCluster(conf);
    if (!conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
      // Without a directory Flink keeps checkpoints in the JobManager's memory, capped at 5 MiB:
      // a few thousand conversations of state and every checkpoint fails (found by the soak test).
      // The scratch directory outlives task failures, which is what a job in this process needs.
      conf.set(
          CheckpointingOptions.CHECKPOINTS_DIRECTORY,
          scratch.resolve("checkpoints").toUri().toString());
    }
    return conf;
  }
}

package org.argosy.cli.jobs;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.AuthenticationException;
import org.argosy.jobs.alert.AlertJob;
import org.argosy.jobs.report.ReportJob;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.jobs.store.HistoryStore;
import org.argosy.query.alert.AlertRule;
import org.argosy.query.alert.AlertRuleFile;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportFile;
import org.argosy.tools.cli.KafkaClientOptions;
import org.argosy.tools.kafka.KafkaClientSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code argosy jobs}: the report and alert job of a report and a rule file against Kafka. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the report job for every report of a report file and every rule of an alert rule"
          + " file on a local Flink cluster (web UI on 127.0.0.1): reads flow records from topic"
          + " 'flows' of the given Kafka cluster and writes aggregates to 'flow-aggregates',"
          + " rankings to 'flow-topn', alerts to 'flow-alerts' and 'flow-alerts-avro', late records to"
          + " 'flows-late' and records it cannot count (undecodable or absurd, with the reason in"
          + " headers) to 'flows-dlq', exactly once (visible to read_committed consumers at each"
          + " checkpoint).",
      "",
      "Examples:",
      "  argosy jobs --bootstrap 127.0.0.1:9092 --reports reports/daily-reports.yaml",
      "  argosy jobs --bootstrap 127.0.0.1:9092 --alerts reports/alert-rules.yaml --group"
          + " argosy-alerts",
      "  argosy jobs --bootstrap kafka:9092 --reports r.yaml --state-backend rocksdb"
          + " --checkpoint-dir file:///var/lib/argosy/checkpoints",
      "  ARGOSY_KAFKA_PROPERTY_SASL_JAAS_CONFIG=\"$(cat /run/secrets/jaas)\" argosy jobs"
          + " --bootstrap kafka:9093 --kafka-config /etc/argosy/kafka-client.properties"
          + " --reports r.yaml"
    })
public final class JobsCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(JobsCommand.class);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

  /** Passwords never go on command lines, where process listings and shell history show them. */
  static final String STORE_PASSWORD_VARIABLE = "ARGOSY_STORE_PASSWORD";

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers, comma-separated.")
  private String bootstrap;

  @CommandLine.Mixin private KafkaClientOptions kafka;

  @Option(
      names = "--reports",
      paramLabel = "FILE",
      description = "The report file (see reports/daily-reports.yaml).")
  private Path reportsFile;

  @Option(
      names = "--alerts",
      paramLabel = "FILE",
      description =
          "The alert rule file (see reports/alert-rules.yaml): alerts to 'flow-alerts' (JSON) and"
              + " 'flow-alerts-avro'. With --reports too, both run in one job on one source.")
  private Path alertsFile;

  @Option(
      names = "--json",
      description =
          "Also write aggregates and rankings as JSON lines to 'flow-aggregates-json' and"
              + " 'flow-topn-json', for consumers that read no Avro.")
  private boolean json;

  @Option(
      names = "--max-drift",
      paramLabel = "SECONDS",
      description =
          "Watermark alignment: pause Kafka partitions whose event time runs more than this ahead"
              + " of the slowest (sites far apart in time make fewer late records). Default: off.")
  private Integer maxDriftSeconds;

  @Option(
      names = "--store",
      paramLabel = "JDBC-URL",
      description =
          "Also keep every aggregate and ranking row in PostgreSQL (tables flow_aggregates and"
              + " flow_rankings, created if missing), e.g."
              + " jdbc:postgresql://127.0.0.1:5432/argosy. The password is read from the"
              + " environment variable "
              + STORE_PASSWORD_VARIABLE
              + ".")
  private String storeUrl;

  @Option(
      names = "--store-user",
      paramLabel = "USER",
      defaultValue = "argosy",
      description = "The store's database user (default: ${DEFAULT-VALUE}).")
  private String storeUser;

  @Option(
      names = "--quiet-advance",
      paramLabel = "SECONDS",
      description =
          "After this many seconds without records on a partition, let its event time follow the"
              + " clock so the last windows close (records arriving later are late). Default: off.")
  private Integer quietAdvanceSeconds;

  @Option(
      names = "--sensor-timeout",
      paramLabel = "SECONDS",
      description =
          "Event time is per sensor within each partition: the watermark waits for the sensor"
              + " furthest behind (one replaying its spool after a broker outage) until it has"
              + " sent nothing for this long. A sensor that dies holds windows back this long"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + ReportJobOptions.DEFAULT_SENSOR_TIMEOUT_SECONDS)
  private int sensorTimeoutSeconds;

  @Option(
      names = "--web-ui-port",
      paramLabel = "PORT",
      description =
          "Flink web UI port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).",
      defaultValue = "8081")
  private int webUiPort;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description =
          "Parallel instances of every operator (default: "
              + ReportJobLauncher.DEFAULT_PARALLELISM
              + " when run here; in a Flink cluster the cluster's parallelism.default or the"
              + " submission's).")
  private Integer parallelism;

  @Option(
      names = "--state-backend",
      paramLabel = "heap|rocksdb",
      description = "Where window state lives (default: ${DEFAULT-VALUE}).",
      defaultValue = "heap")
  private String stateBackend;

  @Option(
      names = "--managed-memory",
      paramLabel = "SIZE",
      description =
          "With --state-backend rocksdb, run here: the memory RocksDB's block cache and write"
              + " buffers share, e.g. 2g (default: 512m; a window of millions of keys wants more)."
              + " In a Flink cluster: the cluster's taskmanager.memory.managed.size.")
  private String managedMemory;

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "SECONDS",
      description = "Checkpoint (and commit) interval (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  private int checkpointSeconds;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "URI",
      description =
          "Durable checkpoint directory, e.g. file:///var/lib/argosy/checkpoints. Default when"
              + " run here: a directory of this process, removed when it ends (the job survives"
              + " task failures, not a restart of the process); in a Flink cluster: the cluster's.")
  private String checkpointDirectory;

  @Option(
      names = "--max-out-of-orderness",
      paramLabel = "SECONDS",
      description =
          "How late a record may be behind the newest and still count (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  private int maxOutOfOrdernessSeconds;

  @Option(
      names = "--group",
      paramLabel = "ID",
      description =
          "Kafka consumer group and transactional id prefix; unique per running job (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "argosy-reports")
  private String group;

  @Option(
      names = "--bounded",
      description =
          "Stop at the end of what topic 'flows' holds now (a replay), instead of running on.")
  private boolean bounded;

  @Override
  public Integer call() throws Exception {
    if (webUiPort < 0 || webUiPort > 65535) {
      throw usage("--web-ui-port " + webUiPort + " is not a port number");
    }
    if (parallelism != null && (parallelism < 1 || parallelism > 256)) {
      throw usage("--parallelism must be 1..256, got " + parallelism);
    }
    if (!bootstrap.matches("[^,:\\s]+:\\d{1,5}(,[^,:\\s]+:\\d{1,5})*")) {
      throw usage("--bootstrap '" + bootstrap + "' is not HOST:PORT[,HOST:PORT...]");
    }
    ReportJobOptions options;
    try {
      options =
          ReportJobOptions.builder()
              .stateBackend(ReportJobOptions.StateBackend.parse(stateBackend))
              .checkpointInterval(Duration.ofSeconds(checkpointSeconds))
              .checkpointDirectory(checkpointDirectory)
              .maxOutOfOrderness(Duration.ofSeconds(maxOutOfOrdernessSeconds))
              .quietAdvance(
                  quietAdvanceSeconds == null ? null : Duration.ofSeconds(quietAdvanceSeconds))
              .maxWatermarkDrift(
                  maxDriftSeconds == null ? null : Duration.ofSeconds(maxDriftSeconds))
              .sensorTimeout(Duration.ofSeconds(sensorTimeoutSeconds))
              .managedMemory(managedMemory == null ? null : memorySize(managedMemory))
              .build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    // Everything the user wrote is checked before anything starts.
    if (reportsFile == null && alertsFile == null) {
      throw usage("give --reports FILE, --alerts FILE or both");
    }
    KafkaClientSettings client;
    try {
      client = kafka.settings();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    List<ReportDefinition> reports = reportsFile == null ? List.of() : ReportFile.load(reportsFile);
    List<AlertRule> rules = alertsFile == null ? List.of() : AlertRuleFile.load(alertsFile);
    ReportJobLauncher.Settings settings;
    try {
      settings =
          new ReportJobLauncher.Settings(
              bootstrap,
              client,
              reports,
              rules,
              options,
              bounded,
              webUiPort,
              parallelism,
              group,
              store(reports),
              json);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    prepareTopics(client);
    if (settings.store() != null) {
      try {
        settings.store().createTables();
      } catch (SQLException e) {
        throw new IllegalStateException(
            "--store " + storeUrl + ": cannot prepare the tables: " + e.getMessage(), e);
      }
    }

    ReportJobLauncher.Launched launched = ReportJobLauncher.start(settings);
    JobClient job = launched.job();
    String where =
        launched.inCluster()
            ? "on the Flink cluster that runs this program"
            : "; web UI http://127.0.0.1:"
                + (webUiPort == 0 ? "(free port, see the log)" : Integer.toString(webUiPort));
    spec.commandLine()
        .getOut()
        .printf(
            "argosy jobs: %d reports%s and %d alert rules%s running as Flink job %s %s%n",
            reports.size(),
            reportsFile == null ? "" : " of " + reportsFile,
            rules.size(),
            alertsFile == null ? "" : " of " + alertsFile,
            job.getJobID(),
            where);
    spec.commandLine().getOut().flush();
    if (launched.inCluster()) {
      return 0; // the cluster runs and restarts the job; this program's part is done
    }
    if (!bounded) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> job.cancel().join(), "argosy-jobs-cancel"));
    }
    job.getJobExecutionResult().get();
    return 0;
  }

  /**
   * Checks that Kafka answers and topic {@code flows} exists, and creates missing output topics
   * (one partition, the broker's replication), so that the job does not restart forever against a
   * wrong address or a missing topic.
   */
  private void prepareTopics(KafkaClientSettings client) throws InterruptedException {
    Properties props = new Properties();
    props.putAll(client.properties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(props)) {
      Set<String> topics =
          admin.listTopics().names().get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!topics.contains(ReportJob.FLOWS_TOPIC)) {
        throw new IllegalArgumentException(
            "--bootstrap "
                + bootstrap
                + ": topic '"
                + ReportJob.FLOWS_TOPIC
                + "' does not exist; start a sensor publishing to it, or create it");
      }
      List<NewTopic> missing =
          List.of(
                  ReportJob.AGGREGATES_TOPIC,
                  ReportJob.TOPN_TOPIC,
                  ReportJob.LATE_TOPIC,
                  ReportJob.DEAD_LETTER_TOPIC,
                  ReportJob.AGGREGATES_JSON_TOPIC,
                  ReportJob.TOPN_JSON_TOPIC,
                  AlertJob.ALERTS_TOPIC,
                  AlertJob.ALERTS_AVRO_TOPIC)
              .stream()
              .filter(topic -> !topics.contains(topic))
              .map(
                  topic ->
                      new NewTopic(topic, java.util.Optional.of(1), java.util.Optional.empty()))
              .toList();
      if (!missing.isEmpty()) {
        LOG.info("creating topics {}", missing.stream().map(NewTopic::name).toList());
        admin.createTopics(missing).all().get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException refused) {
        // a wrong password or certificate fails at once; retrying would not help
        throw new IllegalStateException(
            "Kafka at "
                + bootstrap
                + " refused this client (check --kafka-config and ARGOSY_KAFKA_PROPERTY_*): "
                + refused.getMessage());
      }
      throw new IllegalStateException(
          "cannot reach Kafka at " + bootstrap + " within " + KAFKA_TIMEOUT.toSeconds() + "s", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach Kafka at " + bootstrap + " within " + KAFKA_TIMEOUT.toSeconds() + "s", e);
    }
  }

  /** The history store of --store, or null. */
  private HistoryStore store(List<ReportDefinition> reports) {
    if (storeUrl == null) {
      return null;
    }
    if (reports.isEmpty()) {
      throw usage("--store keeps the reports' results: it needs --reports");
    }
    return HistoryStore.builder()
        .url(storeUrl)
        .user(storeUser)
        .password(System.getenv().getOrDefault(STORE_PASSWORD_VARIABLE, ""))
        .build();
  }

  private static MemorySize memorySize(String text) {
    MemorySize size;
    try {
      size = MemorySize.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--managed-memory '" + text + "' is not a size such as 512m or 2g");
    }
    if (size.compareTo(MemorySize.ofMebiBytes(16)) < 0) {
      throw new IllegalArgumentException("--managed-memory must be at least 16m, got " + text);
    }
    return size;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

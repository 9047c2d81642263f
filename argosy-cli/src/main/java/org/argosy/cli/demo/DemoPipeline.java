package org.argosy.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.argosy.avro.TopNRanking;
import org.argosy.cli.jobs.ReportJobLauncher;
import org.argosy.jobs.alert.AlertJob;
import org.argosy.jobs.report.ReportJob;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.jobs.topn.TopNReport;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.KafkaBroker;
import org.argosy.query.alert.AlertRule;
import org.argosy.query.report.ReportDefinition;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.delivery.DeliveryCounters;
import org.argosy.sensor.delivery.FsyncPolicy;
import org.argosy.sensor.delivery.KafkaDelivery;
import org.argosy.sensor.delivery.ReliableKafkaSink;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.tools.kafka.KafkaClientSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process: an embedded Kafka broker, the sensor on a capture file
 * publishing to {@code flows}, the report job on a local Flink cluster (with its web UI) writing to
 * {@code flow-aggregates}, {@code flow-topn} and {@code flows-late}, and a consumer handing every
 * committed ranking to a listener.
 */
public final class DemoPipeline {

  private static final Logger LOG = LoggerFactory.getLogger(DemoPipeline.class);
  static final int FLOW_PARTITIONS = 3;
  static final int PARALLELISM = 2;

  /** Rankings become readable (read_committed) at checkpoints: often, for a demo. */
  static final ReportJobOptions JOB_OPTIONS =
      ReportJobOptions.builder()
          .maxOutOfOrderness(Duration.ofSeconds(5))
          .checkpointInterval(Duration.ofSeconds(2))
          .build();

  /**
   * Running on after the replay, the demo waits for more captures: after 15 s without records the
   * event time follows the clock, so the replay's last windows close (and their alerts fire)
   * without more traffic. Long enough that a busy start-up does not pass for silence.
   */
  static final ReportJobOptions LIVE_JOB_OPTIONS =
      ReportJobOptions.builder()
          .maxOutOfOrderness(Duration.ofSeconds(5))
          .checkpointInterval(Duration.ofSeconds(2))
          .quietAdvance(Duration.ofSeconds(15))
          .build();

  /**
   * @param webUiPort 0 picks a free port (tests); the demo uses 8081
   * @param once replay the capture, print the last window and return; otherwise run until stopped
   */
  public record Settings(
      Path pcap,
      List<ReportDefinition> reports,
      List<AlertRule> rules,
      long statusIntervalSeconds,
      SensorIdentity identity,
      int webUiPort,
      boolean once) {

    /** One ranking report over every record. */
    public Settings(
        Path pcap,
        TopNReport report,
        long statusIntervalSeconds,
        SensorIdentity identity,
        int webUiPort,
        boolean once) {
      this(
          pcap,
          List.of(report.toDefinition()),
          List.of(),
          statusIntervalSeconds,
          identity,
          webUiPort,
          once);
    }
  }

  private final Settings settings;
  private final Consumer<TopNRanking> rankings;

  public DemoPipeline(Settings settings, Consumer<TopNRanking> rankings) {
    this.settings = settings;
    this.rankings = rankings;
  }

  /** Runs the pipeline; with {@code once} it returns after the last ranking was delivered. */
  public void run() throws Exception {
    try (KafkaBroker broker = EmbeddedKafka.start()) {
      broker.createTopics(FLOW_PARTITIONS, ReportJob.FLOWS_TOPIC);
      broker.createTopics(
          1,
          ReportJob.TOPN_TOPIC,
          ReportJob.AGGREGATES_TOPIC,
          ReportJob.LATE_TOPIC,
          ReportJob.DEAD_LETTER_TOPIC,
          AlertJob.ALERTS_TOPIC,
          AlertJob.ALERTS_AVRO_TOPIC);
      RankingFollower follower =
          new RankingFollower(broker.bootstrapServers(), ReportJob.TOPN_TOPIC, rankings);
      Thread followerThread = new Thread(follower, "ranking-follower");
      followerThread.setDaemon(true);
      followerThread.start();
      try {
        if (settings.once()) {
          // The bounded source reads up to the offsets that exist when the job starts.
          replayCapture(broker);
          runJob(broker).getJobExecutionResult().get();
          follower.stopAtEnd();
          followerThread.join();
        } else {
          JobClient job = runJob(broker);
          replayCapture(broker);
          String kafka = broker.bootstrapServers();
          LOG.info(
              "capture replayed; rankings follow as windows close. Kafka is at {}: replay another"
                  + " capture with `./argosy sensor -r FILE --kafka {}`, follow the alerts with"
                  + " `./argosy alerts --follow -S kafka://{}/{}`. Ctrl-C stops.",
              kafka,
              kafka,
              kafka,
              AlertJob.ALERTS_AVRO_TOPIC);
          job.getJobExecutionResult().get();
        }
      } finally {
        follower.close();
      }
    }
  }

  /** The sensor publishes through the same delivery as a real one; its spool is temporary. */
  private void replayCapture(KafkaBroker broker) throws CaptureFileException, IOException {
    Path spool = Files.createTempDirectory("argosy-demo-spool-");
    ReliableKafkaSink sink =
        KafkaDelivery.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic(ReportJob.FLOWS_TOPIC)
            .identity(settings.identity())
            .spool(spool, 256L << 20, 8L << 20, FsyncPolicy.NEVER)
            .build();
    try {
      Sensor sensor =
          new Sensor(
              FlowTableConfig.withStatusInterval(settings.statusIntervalSeconds()),
              settings.identity(),
              sink);
      sensor.readFile(settings.pcap());
      sensor.finish();
      LOG.info("sensor read {}: {}", settings.pcap(), sensor.counters());
    } finally {
      sink.close();
      try (Stream<Path> files = Files.walk(spool)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
    DeliveryCounters delivered = sink.counters();
    if (delivered.sent() != delivered.accepted()) {
      throw new IllegalStateException(
          "the embedded broker took only "
              + delivered.sent()
              + " of "
              + delivered.accepted()
              + " flow records");
    }
  }

  private JobClient runJob(KafkaBroker broker) throws Exception {
    JobClient job =
        ReportJobLauncher.start(
                new ReportJobLauncher.Settings(
                    broker.bootstrapServers(),
                    KafkaClientSettings.none(), // the demo's own broker, on loopback
                    settings.reports(),
                    settings.rules(),
                    settings.once() ? JOB_OPTIONS : LIVE_JOB_OPTIONS,
                    settings.once(),
                    settings.webUiPort(),
                    PARALLELISM,
                    "argosy-demo",
                    null,
                    false))
            .job();
    if (settings.webUiPort() != 0) {
      LOG.info("Flink web UI: http://127.0.0.1:{}", settings.webUiPort());
    }
    return job;
  }
}

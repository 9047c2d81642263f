package org.argosy.cli.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.kafka.FlowTopics;
import org.argosy.jobs.topn.TopNJob;
import org.argosy.jobs.topn.TopNReport;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.KafkaBroker;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.publish.KafkaFlowRecordSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process: an embedded Kafka broker, the sensor on a capture file
 * publishing to {@code flows}, the ranking job on a local Flink cluster (with its web UI) writing
 * to {@code flow-topn}, and a consumer handing every ranking to a listener.
 */
public final class DemoPipeline {

  private static final Logger LOG = LoggerFactory.getLogger(DemoPipeline.class);
  static final int FLOW_PARTITIONS = 3;
  static final int PARALLELISM = 2;
  static final Duration MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);

  /**
   * @param webUiPort 0 picks a free port (tests); the demo uses 8081
   * @param once replay the capture, print the last window and return; otherwise run until stopped
   */
  public record Settings(
      Path pcap,
      TopNReport report,
      long statusIntervalSeconds,
      SensorIdentity identity,
      int webUiPort,
      boolean once) {}

  private final Settings settings;
  private final Consumer<TopNRanking> rankings;

  public DemoPipeline(Settings settings, Consumer<TopNRanking> rankings) {
    this.settings = settings;
    this.rankings = rankings;
  }

  /** Runs the pipeline; with {@code once} it returns after the last ranking was delivered. */
  public void run() throws Exception {
    try (KafkaBroker broker = EmbeddedKafka.start()) {
      broker.createTopics(FLOW_PARTITIONS, TopNJob.FLOWS_TOPIC);
      broker.createTopics(1, TopNJob.TOPN_TOPIC);
      RankingFollower follower =
          new RankingFollower(broker.bootstrapServers(), TopNJob.TOPN_TOPIC, rankings);
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
          LOG.info("capture replayed; rankings follow as windows close. Ctrl-C stops.");
          job.getJobExecutionResult().get();
        }
      } finally {
        follower.close();
      }
    }
  }

  private void replayCapture(KafkaBroker broker) throws CaptureFileException {
    try (KafkaFlowRecordSink sink =
        new KafkaFlowRecordSink(broker.bootstrapServers(), TopNJob.FLOWS_TOPIC, Map.of())) {
      Sensor sensor =
          new Sensor(
              FlowTableConfig.withStatusInterval(settings.statusIntervalSeconds()),
              settings.identity(),
              sink);
      sensor.readFile(settings.pcap());
      sensor.finish();
      LOG.info("sensor read {}: {}", settings.pcap(), sensor.counters());
    }
  }

  private JobClient runJob(KafkaBroker broker) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkConfiguration());
    env.setParallelism(PARALLELISM);
    TopNJob.build(
        env,
        FlowTopics.flowSource(
            broker.bootstrapServers(),
            TopNJob.FLOWS_TOPIC,
            "argosy-demo",
            settings.once(),
            Map.of()),
        FlowTopics.rankingSink(broker.bootstrapServers(), TopNJob.TOPN_TOPIC, Map.of()),
        settings.report(),
        MAX_OUT_OF_ORDERNESS);
    JobClient job = env.executeAsync("argosy demo: " + settings.report().name());
    if (settings.webUiPort() != 0) {
      LOG.info("Flink web UI: http://127.0.0.1:{}", settings.webUiPort());
    }
    return job;
  }

  /** Every listener on loopback; the web UI on the requested port. */
  private Configuration flinkConfiguration() {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, Integer.toString(settings.webUiPort()));
    conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, PARALLELISM);
    FlinkScratchDirectory.apply(conf);
    return conf;
  }
}

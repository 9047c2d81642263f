package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.argosy.avro.FlowRecord;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.RestartableKafkaBroker;
import org.argosy.kafka.embedded.ScramUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code argosy sensor --config FILE} publishing to a broker that accepts clients only over TLS (a
 * throwaway CA) and only with a SASL/SCRAM login: the TLS and SASL settings pass through as {@code
 * kafka.properties} of the config file, every record arrives, and neither secret appears in the
 * sensor's output, even with every library logging at INFO.
 */
class SensorSecuredKafkaITCase {

  private static final Path DEMO = FlowRecordFiles.projectRoot().resolve("samples/demo.pcap");

  @TempDir Path work;

  @Test
  void publishesOverTlsWithScramAndNeverPrintsTheSecrets() throws Exception {
    ScramUser user = new ScramUser("sensor-fra1", "scram-test-secret-4");
    try (RestartableKafkaBroker broker =
        EmbeddedKafka.builder().requireScram(user).requireTls().startRestartable()) {
      broker.createTopics(3, "flows");
      Map<String, String> client = broker.clientProperties();
      String truststorePassword = client.get("ssl.truststore.password");
      Path config = work.resolve("sensor.yaml");
      Files.writeString(
          config,
          "site: fra1\n"
              + "sensor-id: tls-1\n"
              + "kafka:\n"
              + "  bootstrap: "
              + broker.bootstrapServers()
              + "\n  properties:\n"
              + client.entrySet().stream()
                  .map(e -> "    " + e.getKey() + ": '" + e.getValue().replace("'", "''") + "'")
                  .collect(Collectors.joining("\n"))
              + "\n");
      Path loud = work.resolve("log4j2-info.xml");
      Files.writeString(
          loud,
          "<Configuration><Appenders><Console name=\"c\" target=\"SYSTEM_ERR\"><PatternLayout"
              + " pattern=\"%p %c - %m%n\"/></Console></Appenders><Loggers><Root level=\"INFO\">"
              + "<AppenderRef ref=\"c\"/></Root></Loggers></Configuration>");
      Map<String, String> environment =
          Map.of("JAVA_TOOL_OPTIONS", "-Dlog4j2.configurationFile=" + loud);

      Path avro = work.resolve("flows.avro");
      Path log = work.resolve("sensor.log");
      SensorProcess sensor =
          SensorProcess.start(
              log,
              environment,
              "--config",
              config.toString(),
              "-r",
              DEMO.toString(),
              "-w",
              avro.toString(),
              "--spool-dir",
              work.resolve("spool").toString());
      int exit = sensor.awaitExit(Duration.ofSeconds(120));
      String output = Files.readString(log);
      assertThat(exit).as(output).isZero();

      List<FlowRecord> written = FlowRecordFiles.read(avro);
      List<FlowTopic.Delivered> delivered =
          FlowTopic.readAll(broker.bootstrapServers(), client, "flows");
      assertThat(delivered).hasSameSizeAs(written);
      assertThat(FlowTopic.sequenceCounts(delivered).keySet())
          .containsExactlyInAnyOrderElementsOf(written.stream().map(FlowRecord::getSeq).toList());
      assertThat(delivered)
          .allSatisfy(
              d -> {
                assertThat(d.headers()).containsEntry("site", "fra1");
                assertThat(d.headers()).containsEntry("sensor", "tls-1");
              });

      assertThat(output)
          .as("the producer's settings were logged, at INFO")
          .contains("security.protocol = SASL_SSL");
      assertThat(output).doesNotContain(truststorePassword).doesNotContain(user.password());

      Path printedFile = work.resolve("print-config.txt");
      SensorProcess printConfig =
          SensorProcess.start(
              printedFile, Map.of(), "--config", config.toString(), "--print-config");
      int printExit = printConfig.awaitExit(Duration.ofSeconds(60));
      String printed = Files.readString(printedFile);
      assertThat(printExit).as(printed).isZero();
      assertThat(printed)
          .contains("kafka.properties.ssl.truststore.password: ******")
          .contains("kafka.properties.sasl.jaas.config: ******")
          .contains("kafka.properties.security.protocol: SASL_SSL")
          .doesNotContain(truststorePassword)
          .doesNotContain(user.password());
    }
  }
}

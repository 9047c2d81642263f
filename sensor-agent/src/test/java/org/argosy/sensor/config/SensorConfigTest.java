package org.argosy.sensor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorConfigTest {

  @TempDir Path dir;

  private Path yaml(String text) throws Exception {
    Path file = dir.resolve("sensor.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file =
        yaml(
            """
            site: ams1
            sensor-id: from-file
            interfaces: [eth0, eth1]
            kafka:
              bootstrap: kafka-a:9092
              topic: flows
              properties:
                security.protocol: SASL_SSL
                sasl.jaas.config: secret-line
            spool:
              max-bytes: 1000000
            """);
    SensorConfig config =
        SensorConfig.merge(
            file,
            Map.of(
                "ARGOSY_SENSOR_KAFKA_BOOTSTRAP", "kafka-b:9092",
                "ARGOSY_SENSOR_SPOOL_MAX_BYTES", "2000000",
                "ARGOSY_SENSOR_KAFKA_PROPERTY_SASL_MECHANISM", "SCRAM-SHA-512",
                "HOME", "/root"),
            Map.of("sensor-id", "from-flag"));

    assertThat(config.get("site", null)).isEqualTo("ams1");
    assertThat(config.get("sensor-id", null)).isEqualTo("from-flag");
    assertThat(config.get("kafka.bootstrap", null)).isEqualTo("kafka-b:9092");
    assertThat(config.getLong("spool.max-bytes", 0)).isEqualTo(2_000_000);
    assertThat(config.getList("interfaces")).containsExactly("eth0", "eth1");
    assertThat(config.kafkaProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "secret-line");
  }

  @Test
  void printableMasksSecrets() throws Exception {
    SensorConfig config =
        SensorConfig.merge(
            null,
            Map.of(
                "ARGOSY_SENSOR_KAFKA_PROPERTY_SSL_KEYSTORE_PASSWORD", "hunter2",
                "ARGOSY_SENSOR_KAFKA_PROPERTY_SASL_JAAS_CONFIG", "user=x password=hunter2"),
            Map.of("site", "ams1"));
    assertThat(config.printable())
        .contains("site: ams1")
        .contains("kafka.properties.ssl.keystore.password: ******")
        .contains("kafka.properties.sasl.jaas.config: ******")
        .doesNotContain("hunter2");
  }

  @Test
  void unknownSettingsNameTheirSource() throws Exception {
    Path file = yaml("site: a\nspool:\n  max-byte: 5\n");
    assertThatThrownBy(() -> SensorConfig.merge(file, Map.of(), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'spool.max-byte'")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("spool.max-bytes");
    assertThatThrownBy(() -> SensorConfig.merge(null, Map.of("ARGOSY_SENSOR_SITES", "x"), Map.of()))
        .hasMessageContaining("ARGOSY_SENSOR_SITES");
  }

  @Test
  void badYamlAndBadValuesAreClearErrorsBeforeAnythingStarts() throws Exception {
    Path broken = yaml("site: [unclosed\n");
    assertThatThrownBy(() -> SensorConfig.merge(broken, Map.of(), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(broken + ":2:1")
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> SensorConfig.merge(null, Map.of(), Map.of("queue.records", "lots")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("queue.records")
        .hasMessageContaining("lots");
    assertThatThrownBy(
            () -> SensorConfig.merge(yaml("spool:\n  max-bytes: -5\n"), Map.of(), Map.of()))
        .hasMessageContaining("spool.max-bytes must not be negative");
    assertThatThrownBy(
            () ->
                SensorConfig.merge(
                    null, Map.of("ARGOSY_SENSOR_SPOOL_FSYNC", "sometimes"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("spool.fsync must be one of always, segment or never")
        .hasMessageContaining("'sometimes'");
    assertThat(
            SensorConfig.merge(null, Map.of("ARGOSY_SENSOR_SPOOL_FSYNC", "never"), Map.of())
                .fsyncPolicy(org.argosy.sensor.delivery.FsyncPolicy.SEGMENT))
        .isEqualTo(org.argosy.sensor.delivery.FsyncPolicy.NEVER);
  }

  @Test
  void aYamlErrorNeverQuotesTheLineThatMayHoldAPassword() throws Exception {
    Path broken =
        yaml(
            "kafka:\n  properties:\n    ssl.truststore.password: \"hunter2\n    sasl.mechanism:"
                + " SCRAM-SHA-512\n  bootstrap: [x\n");
    assertThatThrownBy(() -> SensorConfig.merge(broken, Map.of(), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not valid YAML")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void anUnreadableFileIsAnErrorNamingIt() {
    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> SensorConfig.merge(missing, Map.of(), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("cannot read config file " + missing);
  }
}

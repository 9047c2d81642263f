package org.argosy.tools.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"jobs\""
          + " password=\"hunter2\";";

  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aPropertiesFileAndTheEnvironmentMergeWithTheEnvironmentWinning() throws Exception {
    Path file =
        file(
            "client.properties",
            """
            # Kafka's own client.properties format
            security.protocol=SASL_SSL
            sasl.mechanism=SCRAM-SHA-512
            ssl.truststore.location=/etc/argosy/truststore.p12
            ssl.truststore.password=from-the-file
            """);
    KafkaClientSettings settings =
        KafkaClientSettings.load(
            file,
            Map.of(
                "ARGOSY_KAFKA_PROPERTY_SSL_TRUSTSTORE_PASSWORD", "from-the-environment",
                "ARGOSY_KAFKA_PROPERTY_SASL_JAAS_CONFIG", JAAS,
                "ARGOSY_SENSOR_KAFKA_PROPERTY_SASL_MECHANISM", "PLAIN",
                "HOME", "/root"));
    assertThat(settings.properties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/argosy/truststore.p12",
                "ssl.truststore.password", "from-the-environment",
                "sasl.jaas.config", JAAS));
  }

  @Test
  void yamlIsTheSensorsKafkaPropertiesMappingWithNestedNamesJoinedByDots() throws Exception {
    Path file =
        file(
            "client.yaml",
            """
            security.protocol: SASL_SSL
            sasl:
              mechanism: SCRAM-SHA-512
              jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="jobs" password="hunter2";'
            ssl.truststore:
              location: /etc/argosy/truststore.p12
              type: PKCS12
            request.timeout.ms: 20000
            """);
    KafkaClientSettings settings = KafkaClientSettings.load(file, Map.of());
    assertThat(settings.properties())
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.truststore.location", "/etc/argosy/truststore.p12")
        .containsEntry("ssl.truststore.type", "PKCS12")
        .containsEntry("request.timeout.ms", "20000")
        .hasSize(6);
  }

  @Test
  void secretsAreMaskedWhereverTheSettingsArePrinted() {
    KafkaClientSettings settings =
        KafkaClientSettings.of(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.password", "hunter3"));
    assertThat(settings.toString())
        .contains("security.protocol=SASL_SSL")
        .contains("sasl.jaas.config=******")
        .doesNotContain("hunter");
    assertThat(settings.printable())
        .isEqualTo(
            "sasl.jaas.config=******\nsecurity.protocol=SASL_SSL\nssl.truststore.password=******\n");
  }

  @Test
  void anUnknownPropertyIsATypoNamedWithItsSource() throws Exception {
    Path file = file("client.properties", "ssl.truststore.locaton=/etc/ts.p12\n");
    assertThatThrownBy(() -> KafkaClientSettings.load(file, Map.of()))
        .isInstanceOf(KafkaClientConfigException.class)
        .hasMessageContaining("unknown Kafka client property 'ssl.truststore.locaton'")
        .hasMessageContaining(file.toString());
    assertThatThrownBy(
            () ->
                KafkaClientSettings.load(
                    null, Map.of("ARGOSY_KAFKA_PROPERTY_SASL_MECHANISMS", "x")))
        .hasMessageContaining("'sasl.mechanisms'")
        .hasMessageContaining("environment variable ARGOSY_KAFKA_PROPERTY_SASL_MECHANISMS");
  }

  @Test
  void aBadValueIsNamedButASecretsValueIsNeverShown() throws Exception {
    Path file = file("client.properties", "security.protocol=SASL_SSLX\n");
    assertThatThrownBy(() -> KafkaClientSettings.load(file, Map.of()))
        .isInstanceOf(KafkaClientConfigException.class)
        .hasMessageContaining("security.protocol")
        .hasMessageContaining("SASL_SSLX")
        .hasMessageContaining(file.toString());
    assertThatThrownBy(() -> KafkaClientSettings.of(Map.of("request.timeout.ms", "soon")))
        .hasMessageContaining("request.timeout.ms")
        .hasMessageContaining("soon");
  }

  @Test
  void bootstrapServersBelongOnTheCommandLine() throws Exception {
    Path file = file("client.properties", "bootstrap.servers=kafka:9092\n");
    assertThatThrownBy(() -> KafkaClientSettings.load(file, Map.of()))
        .hasMessageContaining("bootstrap.servers")
        .hasMessageContaining("--bootstrap");
  }

  @Test
  void badYamlNamesLineAndColumnWithoutQuotingTheLine() throws Exception {
    Path file =
        file(
            "client.yaml",
            "security.protocol: SASL_SSL\nssl.truststore.password: \"hunter2\nsasl.mechanism: [x\n");
    assertThatThrownBy(() -> KafkaClientSettings.load(file, Map.of()))
        .isInstanceOf(KafkaClientConfigException.class)
        .hasMessageContaining(file + ":")
        .hasMessageContaining("not valid YAML")
        .hasMessageNotContaining("hunter2");
    Path list = file("list.yml", "- security.protocol\n");
    assertThatThrownBy(() -> KafkaClientSettings.load(list, Map.of()))
        .hasMessageContaining("expected a mapping of settings");
  }

  @Test
  void anUnreadableFileIsNamed() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> KafkaClientSettings.load(missing, Map.of()))
        .isInstanceOf(KafkaClientConfigException.class)
        .hasMessage("cannot read Kafka client settings file " + missing + ": no such file");
  }

  @Test
  void configProviderReferencesPassThroughToKafka() throws Exception {
    Path file =
        file(
            "client.properties",
            """
            config.providers=file
            config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
            sasl.jaas.config=${file:/run/secrets/kafka.properties:jaas}
            """);
    assertThat(KafkaClientSettings.load(file, Map.of()).properties())
        .containsEntry("sasl.jaas.config", "${file:/run/secrets/kafka.properties:jaas}")
        .hasSize(3);
  }
}

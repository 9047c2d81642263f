package org.argosy.tools.cli;

import java.nio.file.Path;
import org.argosy.tools.kafka.KafkaClientSettings;
import picocli.CommandLine.Option;

/**
 * {@code --kafka-config FILE}: the one option by which {@code argosy jobs} and every command that
 * reads a topic get Kafka client properties (TLS, SASL); {@code ARGOSY_KAFKA_PROPERTY_*} variables
 * add to and override the file ({@link KafkaClientSettings}).
 */
public final class KafkaClientOptions {

  /** The help text of the option, the same for every command. */
  static final String DESCRIPTION =
      "Kafka client properties for a cluster that needs TLS or a login (security.protocol,"
          + " ssl.truststore.location, sasl.mechanism, sasl.jaas.config, ...): a properties file,"
          + " or YAML when named *.yaml. ARGOSY_KAFKA_PROPERTY_* environment variables add to it"
          + " and win (ARGOSY_KAFKA_PROPERTY_SASL_JAAS_CONFIG is sasl.jaas.config), so"
          + " passwords need not be in the file or on the command line. Secrets are never printed.";

  @Option(names = "--kafka-config", paramLabel = "FILE", description = DESCRIPTION)
  Path file;

  private KafkaClientSettings settings;

  /**
   * The file's and the environment's properties, read once; a KafkaClientConfigException (exit 2)
   * names a setting that is wrong. Call it before anything starts, so that the error comes first.
   */
  public KafkaClientSettings settings() {
    if (settings == null) {
      settings = KafkaClientSettings.load(file, System.getenv());
    }
    return settings;
  }
}

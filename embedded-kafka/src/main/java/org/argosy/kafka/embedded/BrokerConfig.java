package org.argosy.kafka.embedded;

import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.server.config.AbstractKafkaConfig;

/** Checks broker overrides against Kafka's own config definitions before a broker starts. */
final class BrokerConfig {

  /** Keys that wire the node together; both broker implementations set these themselves. */
  private static final Set<String> OWNED_BY_EMBEDDED_KAFKA =
      Set.of(
          "listeners",
          "advertised.listeners",
          "listener.security.protocol.map",
          "inter.broker.listener.name",
          "controller.listener.names",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "process.roles",
          "node.id",
          "broker.id",
          "log.dir",
          "log.dirs",
          "metadata.log.dir");

  private BrokerConfig() {}

  static void validate(String key, String value) {
    ConfigDef.ConfigKey definition = AbstractKafkaConfig.CONFIG_DEF.configKeys().get(key);
    if (definition == null) {
      throw new IllegalArgumentException("Unknown Kafka broker config: " + key);
    }
    if (OWNED_BY_EMBEDDED_KAFKA.contains(key)) {
      throw new IllegalArgumentException(key + " is set by the embedded broker and cannot be set");
    }
    try {
      Object parsed = ConfigDef.parseType(key, value, definition.type);
      if (definition.validator != null) {
        definition.validator.ensureValid(key, parsed);
      }
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}

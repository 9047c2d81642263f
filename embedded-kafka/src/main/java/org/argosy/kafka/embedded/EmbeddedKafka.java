package org.argosy.kafka.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a real Kafka broker: in a Docker container when a Docker engine is reachable, otherwise
 * inside this JVM (KRaft, from Kafka's own test kit).
 */
public final class EmbeddedKafka {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  /**
   * There is a single broker, so internal topics can only have one replica; one partition each and
   * no initial rebalance delay keep start-up and the first consumer group quick.
   */
  static final Map<String, String> SINGLE_BROKER_DEFAULTS =
      Map.of(
          "offsets.topic.replication.factor", "1",
          "offsets.topic.num.partitions", "1",
          "transaction.state.log.replication.factor", "1",
          "transaction.state.log.min.isr", "1",
          "transaction.state.log.num.partitions", "1",
          "share.coordinator.state.topic.replication.factor", "1",
          "share.coordinator.state.topic.min.isr", "1",
          "group.initial.rebalance.delay.ms", "0");

  private EmbeddedKafka() {}

  /** Starts a broker with the default configuration. */
  public static KafkaBroker start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Broker configuration overrides and the choice of where the broker runs. */
  public static final class Builder {
    private final Map<String, String> brokerConfig = new LinkedHashMap<>(SINGLE_BROKER_DEFAULTS);
    private boolean inProcessOnly;
    private ScramUser scramUser;
    private boolean requireTls;

    private Builder() {}

    /**
     * Overrides a broker setting, e.g. {@code transaction.max.timeout.ms}.
     *
     * @throws IllegalArgumentException at once, if Kafka does not know the key, the value does not
     *     parse, or the key is one this class sets itself (listeners, node id, directories)
     */
    public Builder brokerConfig(String key, String value) {
      BrokerConfig.validate(key, value);
      brokerConfig.put(key, value);
      return this;
    }

    /** Skips the Docker probe: the broker always runs inside this JVM. */
    public Builder inProcessOnly() {
      inProcessOnly = true;
      return this;
    }

    /**
     * Starts a broker in a child JVM that fault tests can stop, kill and restart on the same port
     * and data (a process of its own rather than a container, so it works without Docker too).
     */
    public RestartableKafkaBroker startRestartable() {
      LOG.info("Starting a KRaft broker in a child process");
      return ChildProcessKafkaBroker.start(Map.copyOf(brokerConfig), scramUser, requireTls);
    }

    /**
     * Makes {@link #startRestartable()} require SASL/SCRAM-SHA-512 logins as {@code user}; clients
     * find the settings in {@link KafkaBroker#clientProperties()}.
     */
    public Builder requireScram(ScramUser user) {
      this.scramUser = user;
      return this;
    }

    /**
     * Makes {@link #startRestartable()} accept clients over TLS only (with {@link #requireScram}:
     * SASL_SSL), on 127.0.0.1 with a certificate from a throwaway CA made for this broker ({@link
     * TestTls}); clients find the truststore settings in {@link KafkaBroker#clientProperties()}.
     */
    public Builder requireTls() {
      this.requireTls = true;
      return this;
    }

    /** Starts the broker and returns once it accepts clients. */
    public KafkaBroker start() {
      if (scramUser != null) {
        throw new IllegalStateException("requireScram is supported by startRestartable() only");
      }
      if (requireTls) {
        throw new IllegalStateException("requireTls is supported by startRestartable() only");
      }
      Map<String, String> config = Map.copyOf(brokerConfig);
      if (inProcessOnly) {
        LOG.info("Starting an in-process KRaft broker, as requested");
      } else if (Docker.isAvailable()) {
        LOG.info("Docker engine found: starting Kafka in a container");
        try {
          return ContainerKafkaBroker.start(config);
        } catch (RuntimeException e) {
          // Docker runs but cannot start the image (typically: no registry access to pull it).
          LOG.warn("Kafka container did not start, using an in-process broker instead", e);
        }
      } else {
        LOG.info("No Docker engine found: starting an in-process KRaft broker");
      }
      return InProcessKafkaBroker.start(config);
    }
  }
}

package org.argosy.kafka.embedded;

import java.util.Map;

/**
 * A SASL/SCRAM-SHA-512 user a broker requires clients to log in as, for tests of secured setups.
 * The password is a test secret, never a real one.
 */
public record ScramUser(String name, String password) {

  static final String MECHANISM = "SCRAM-SHA-512";

  public ScramUser {
    if (!name.matches("[A-Za-z0-9_-]+") || !password.matches("[A-Za-z0-9_-]+")) {
      // kept simple so that neither the JAAS line nor the storage tool needs quoting
      throw new IllegalArgumentException("SCRAM user name and password: letters, digits, - and _");
    }
  }

  /** What a Kafka client needs, besides bootstrap.servers, to connect as this user. */
  public Map<String, String> clientProperties() {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        MECHANISM,
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + name
            + "\" password=\""
            + password
            + "\";");
  }

  String storageToolCredential() {
    return MECHANISM + "=[name=" + name + ",password=" + password + "]";
  }
}

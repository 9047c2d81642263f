package org.argosy.query.config;

import java.util.List;
import java.util.Locale;

/**
 * Which settings hold secrets (passwords, JAAS lines with a password in them, tokens), by name: the
 * one rule the sensor's configuration and the Kafka client settings of the jobs and the tools
 * share, so that a setting masked in one place is masked everywhere it could be printed.
 */
public final class SecretSettings {

  /** What printed settings show instead of a secret's value. */
  public static final String MASK = "******";

  // "jaas": sasl.jaas.config carries the SCRAM or PLAIN password inside its login module line.
  private static final List<String> SECRET_WORDS =
      List.of("password", "secret", "jaas", "token", "credential");

  private SecretSettings() {}

  /** Whether a setting holds a secret that must never be printed or logged. */
  public static boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(lower::contains);
  }

  /** The value as it may be printed: the mask for a secret. */
  public static String printable(String key, String value) {
    return isSecret(key) ? MASK : value;
  }
}

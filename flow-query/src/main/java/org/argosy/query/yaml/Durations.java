package org.argosy.query.yaml;

import java.time.Duration;

/**
 * Durations as report and rule files write them: {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}.
 */
public final class Durations {

  private Durations() {}

  /**
   * Parses a number with a unit (s, m, h, d); a bare number is seconds.
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  public static Duration parse(String text) {
    String trimmed = text.strip();
    if (!trimmed.matches("\\d{1,9}[smhd]?")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write a whole number with s, m, h or d, e.g. 10s, 1d");
    }
    char unit = trimmed.charAt(trimmed.length() - 1);
    boolean hasUnit = Character.isLetter(unit);
    long amount = Long.parseLong(hasUnit ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
    return switch (hasUnit ? unit : 's') {
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  public static String format(Duration duration) {
    return duration.toSeconds() + "s";
  }
}

package org.argosy.sensor.config;

/** A setting the operator must fix; the message names it and its source. Exit code 2. */
public final class InvalidConfigException extends IllegalArgumentException {
  public InvalidConfigException(String message) {
    super(message);
  }
}

package org.argosy.query;

/**
 * A cluster key, sort key or filter the user wrote that cannot be used; the message names the term
 * and says what would be accepted. Command-line tools turn it into exit code 2.
 */
public class InvalidQueryException extends IllegalArgumentException {
  public InvalidQueryException(String message) {
    super(message);
  }
}

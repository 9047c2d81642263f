package org.argosy.query.yaml;

import org.argosy.query.InvalidQueryException;

/**
 * A definition file (reports, alert rules) that cannot run: the message names the file and line,
 * the definition and the field, and for a filter the column within the filter.
 */
public class DefinitionFileException extends InvalidQueryException {
  public DefinitionFileException(String message) {
    super(message);
  }
}

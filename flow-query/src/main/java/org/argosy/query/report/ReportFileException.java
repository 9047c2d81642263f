package org.argosy.query.report;

import org.argosy.query.yaml.DefinitionFileException;

/**
 * A report file that cannot run: the message names the file and line, the report and the field, and
 * for a filter the column within the filter.
 */
public final class ReportFileException extends DefinitionFileException {
  ReportFileException(String message) {
    super(message);
  }
}

package org.argosy.query.alert;

import org.argosy.query.yaml.DefinitionFileException;

/** An alert rule file that cannot run: the message names file, line, rule and field. */
public final class AlertRuleFileException extends DefinitionFileException {
  AlertRuleFileException(String message) {
    super(message);
  }
}

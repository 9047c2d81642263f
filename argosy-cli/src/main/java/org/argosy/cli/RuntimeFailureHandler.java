package org.argosy.cli;

import org.argosy.query.InvalidQueryException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure inside a command into a one-line message: exit 2 for input the user must fix (a
 * bad key or report), exit 1 for anything else. The stack trace goes to the log at debug level
 * only, so an operator never sees a trace as the only explanation.
 */
final class RuntimeFailureHandler implements IExecutionExceptionHandler {

  static final int RUNTIME_FAILURE = 1;
  static final int USAGE_ERROR = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
    org.slf4j.LoggerFactory.getLogger(RuntimeFailureHandler.class).debug("command failed", e);
    boolean usage = e instanceof InvalidQueryException || e instanceof IllegalArgumentException;
    commandLine
        .getErr()
        .println(commandLine.getCommandName() + ": " + (usage ? "" : "error: ") + describe(e));
    return usage ? USAGE_ERROR : RUNTIME_FAILURE;
  }

  /** The message of the exception and its causes, without repeats. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && !text.toString().contains(message)) {
        text.append(": ").append(message);
      }
    }
    return text.toString();
  }
}

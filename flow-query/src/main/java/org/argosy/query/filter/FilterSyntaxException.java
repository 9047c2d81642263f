package org.argosy.query.filter;

import org.argosy.query.InvalidQueryException;

/**
 * A filter that does not parse: the message names the column (1-based) where parsing stopped, what
 * was found there and what would have been accepted, followed by the filter with a caret under the
 * column.
 */
public final class FilterSyntaxException extends InvalidQueryException {

  private final int column;
  private final String problem;

  FilterSyntaxException(String filter, int column, String problem) {
    super(
        "column "
            + column
            + ": "
            + problem
            + System.lineSeparator()
            + "  "
            + filter
            + System.lineSeparator()
            + "  "
            + " ".repeat(Math.max(0, column - 1))
            + "^");
    this.column = column;
    this.problem = problem;
  }

  /** 1-based column of the offending token (one past the end for a filter that stops early). */
  public int column() {
    return column;
  }

  /** What was wrong, without the position and the caret line. */
  public String problem() {
    return problem;
  }
}

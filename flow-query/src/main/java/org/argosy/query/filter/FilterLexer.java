package org.argosy.query.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a filter into tokens: parentheses, the operators {@code ! && || < <= > >= = == !=}, and
 * words (keywords, numbers, addresses such as {@code fe80::1/64}, port ranges such as {@code
 * 1-1024}). Every token keeps its 1-based column for error messages.
 */
final class FilterLexer {

  /** One token; {@code text} is empty for the end-of-filter token. */
  record Token(String text, int column) {
    boolean isEnd() {
      return text.isEmpty();
    }

    String describe() {
      return isEnd() ? "the end of the filter" : "'" + text + "'";
    }
  }

  private static final String OPERATOR_CHARS = "()!&|<>=";

  private FilterLexer() {}

  static List<Token> tokens(String filter) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int length = filter.length();
    while (i < length) {
      char c = filter.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        tokens.add(new Token(String.valueOf(c), i + 1));
        i++;
      } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
        int start = i;
        String two = i + 1 < length ? filter.substring(i, i + 2) : "";
        if (two.equals("&&")
            || two.equals("||")
            || two.equals("<=")
            || two.equals(">=")
            || two.equals("==")
            || two.equals("!=")) {
          i += 2;
        } else if (c == '&' || c == '|') {
          throw new FilterSyntaxException(
              filter, i + 1, "'" + c + "' is not an operator; write " + c + c + " or the word");
        } else {
          i++;
        }
        tokens.add(new Token(filter.substring(start, i), start + 1));
      } else {
        int start = i;
        while (i < length
            && !Character.isWhitespace(filter.charAt(i))
            && OPERATOR_CHARS.indexOf(filter.charAt(i)) < 0) {
          i++;
        }
        tokens.add(new Token(filter.substring(start, i), start + 1));
      }
    }
    tokens.add(new Token("", length + 1));
    return tokens;
  }
}

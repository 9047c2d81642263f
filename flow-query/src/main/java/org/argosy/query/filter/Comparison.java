package org.argosy.query.filter;

import java.io.Serializable;

/** The comparison operators of counter primitives, in Argus's words and as symbols. */
enum Comparison implements Serializable {
  GT("gt", ">"),
  GTE("gte", ">="),
  LT("lt", "<"),
  LTE("lte", "<="),
  EQ("eq", "="),
  NE("ne", "!=");

  private final String word;
  private final String symbol;

  Comparison(String word, String symbol) {
    this.word = word;
    this.symbol = symbol;
  }

  /** False for a value the record does not have (NaN), whatever the operator. */
  boolean holds(double value, double operand) {
    if (Double.isNaN(value)) {
      return false;
    }
    return switch (this) {
      case GT -> value > operand;
      case GTE -> value >= operand;
      case LT -> value < operand;
      case LTE -> value <= operand;
      case EQ -> value == operand;
      case NE -> value != operand;
    };
  }

  /** The operator written as {@code text}, or null. */
  static Comparison byText(String text) {
    if (text.equals("==")) {
      return EQ;
    }
    for (Comparison c : values()) {
      if (c.word.equals(text) || c.symbol.equals(text)) {
        return c;
      }
    }
    return null;
  }
}

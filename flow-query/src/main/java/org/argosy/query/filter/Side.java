package org.argosy.query.filter;

/**
 * Which side of the flow a primitive looks at: the qualifiers {@code src}, {@code dst}, {@code src
 * or dst} (the default for addresses and ports) and {@code src and dst}.
 */
enum Side {
  SRC,
  DST,
  EITHER,
  BOTH;

  /** Combines the tests of the two sides as the qualifier asks. */
  FlowPredicate combine(FlowPredicate source, FlowPredicate destination) {
    return switch (this) {
      case SRC -> source;
      case DST -> destination;
      case EITHER -> source.or(destination);
      case BOTH -> source.and(destination);
    };
  }
}

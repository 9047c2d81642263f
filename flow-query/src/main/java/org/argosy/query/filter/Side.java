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

  /** Combines the tests of the two sides, and the fields they read, as the qualifier asks. */
  Term combine(Term source, Term destination) {
    return switch (this) {
      case SRC -> source;
      case DST -> destination;
      case EITHER -> source.or(destination);
      case BOTH -> source.and(destination);
    };
  }
}

package org.argosy.query.filter;

import java.util.HashSet;
import java.util.Set;

/**
 * A compiled filter term with the {@link org.argosy.avro.FlowRecord} fields (Avro names) its
 * predicate can read, so that a columnar reader fills only those. A field the predicate reads but
 * {@code fields} misses would make such a reader answer wrongly without a sign; naming one too many
 * only costs a column read.
 */
record Term(FlowPredicate predicate, Set<String> fields) {

  Term {
    fields = Set.copyOf(fields);
  }

  static Term reading(FlowPredicate predicate, String... fields) {
    return new Term(predicate, Set.of(fields));
  }

  Term and(Term other) {
    return new Term(predicate.and(other.predicate), union(other));
  }

  Term or(Term other) {
    return new Term(predicate.or(other.predicate), union(other));
  }

  Term negate() {
    return new Term(predicate.negate(), fields);
  }

  private Set<String> union(Term other) {
    Set<String> union = new HashSet<>(fields);
    union.addAll(other.fields);
    return union;
  }
}

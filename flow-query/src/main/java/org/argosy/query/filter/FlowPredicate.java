package org.argosy.query.filter;

import java.io.Serializable;
import org.argosy.avro.FlowRecord;

/** A compiled filter term; serializable so that a job can ship it to its operators. */
@FunctionalInterface
interface FlowPredicate extends Serializable {

  boolean test(FlowRecord record);

  default FlowPredicate and(FlowPredicate other) {
    return r -> test(r) && other.test(r);
  }

  default FlowPredicate or(FlowPredicate other) {
    return r -> test(r) || other.test(r);
  }

  default FlowPredicate negate() {
    return r -> !test(r);
  }
}

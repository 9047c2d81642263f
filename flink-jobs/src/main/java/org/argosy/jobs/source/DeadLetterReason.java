package org.argosy.jobs.source;

import org.argosy.avro.codec.RecordDecodingException;

/** Why a record of {@code flows} went to the dead-letter topic; a metric label and a header. */
public enum DeadLetterReason {
  /** Not an Avro single-object payload: no C3 01 marker, too short, or no value at all. */
  BAD_HEADER,
  /** The marker is there but the schema fingerprint is no FlowRecord version this job knows. */
  UNKNOWN_SCHEMA,
  /** Known schema, but the body is truncated or corrupt. */
  CORRUPT_BODY,
  /** A readable FlowRecord whose values no sensor can have measured ({@link FlowPlausibility}). */
  ABSURD_VALUES;

  /** The dead-letter reason of a decoding failure. */
  public static DeadLetterReason of(RecordDecodingException.Reason reason) {
    return switch (reason) {
      case BAD_HEADER -> BAD_HEADER;
      case UNKNOWN_SCHEMA -> UNKNOWN_SCHEMA;
      case CORRUPT_BODY -> CORRUPT_BODY;
    };
  }
}

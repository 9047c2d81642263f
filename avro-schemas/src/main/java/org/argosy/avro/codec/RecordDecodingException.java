package org.argosy.avro.codec;

/** Bytes that are not a readable Avro single-object record; {@link #reason()} says why. */
public final class RecordDecodingException extends Exception {

  /** Why a payload could not be decoded; used as a metric label and a dead-letter header. */
  public enum Reason {
    /** The payload does not start with the single-object marker C3 01. */
    BAD_HEADER,
    /** The marker is there but the schema fingerprint is not one this reader knows. */
    UNKNOWN_SCHEMA,
    /** Known schema, but the body is truncated or corrupt. */
    CORRUPT_BODY
  }

  private final Reason reason;

  public RecordDecodingException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

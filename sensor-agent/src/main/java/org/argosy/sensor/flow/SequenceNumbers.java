package org.argosy.sensor.flow;

/**
 * Where a sensor's per-record sequence numbers come from. Consumers detect lost and duplicated
 * records by them, so a sensor that restarts must never hand out a number again.
 */
@FunctionalInterface
public interface SequenceNumbers {

  /** The next number, larger than every one handed out before. */
  long next();

  /** Numbers from {@code first} up, kept in memory only: for runs that nothing continues. */
  static SequenceNumbers startingAt(long first) {
    long[] next = {first};
    return () -> next[0]++;
  }
}

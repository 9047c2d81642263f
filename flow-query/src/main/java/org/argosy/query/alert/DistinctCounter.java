package org.argosy.query.alert;

import java.io.Serializable;

/**
 * Counts distinct values: exactly while it has seen at most {@link #EXACT_LIMIT} of them (their
 * 64-bit hashes kept in an open-addressing table), then approximately with a HyperLogLog of {@code
 * 2^}{@link #PRECISION} registers, whose relative standard error is {@code 1.04 / sqrt(2^12)} =
 * 1.6% (so within 5% for 99.7% of counts). Both forms are bounded: at most 32 KiB of hashes, then 4
 * KiB of registers, whatever a scanner throws at it.
 *
 * <p>Values are hashed with a 64-bit mix of their text; two different values sharing a hash is
 * negligible below the exact limit (about 2^-40).
 */
public final class DistinctCounter implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Distinct values counted exactly before switching to the estimate. */
  public static final int EXACT_LIMIT = 4096;

  static final int PRECISION = 12;
  private static final int REGISTERS = 1 << PRECISION;
  private static final long EMPTY = 0L;

  /** The hashes seen, 0 meaning an empty slot (a value hashing to 0 is mapped to 1). */
  private long[] hashes = new long[16];

  private int size;
  private byte[] registers;

  /** Adds one value; returns this for chaining. */
  public DistinctCounter add(String value) {
    return addHash(hash(value));
  }

  /** Adds every value {@code other} has counted. */
  public DistinctCounter merge(DistinctCounter other) {
    if (other.registers != null) {
      toEstimate();
      for (int i = 0; i < REGISTERS; i++) {
        registers[i] = (byte) Math.max(registers[i], other.registers[i]);
      }
      return this;
    }
    for (long h : other.hashes) {
      if (h != EMPTY) {
        addHash(h);
      }
    }
    return this;
  }

  /** The number of distinct values: exact up to {@link #EXACT_LIMIT}, estimated beyond. */
  public long count() {
    if (registers == null) {
      return size;
    }
    double sum = 0;
    int zeros = 0;
    for (byte register : registers) {
      sum += 1.0 / (1L << register);
      if (register == 0) {
        zeros++;
      }
    }
    double alpha = 0.7213 / (1 + 1.079 / REGISTERS);
    double estimate = alpha * REGISTERS * REGISTERS / sum;
    if (estimate <= 2.5 * REGISTERS && zeros > 0) {
      // Linear counting is the better estimate while many registers are still empty.
      estimate = REGISTERS * Math.log((double) REGISTERS / zeros);
    }
    return Math.round(estimate);
  }

  public boolean isExact() {
    return registers == null;
  }

  private DistinctCounter addHash(long h) {
    if (registers != null) {
      addToRegisters(h);
      return this;
    }
    int mask = hashes.length - 1;
    int slot = (int) (h ^ (h >>> 32)) & mask;
    while (hashes[slot] != EMPTY) {
      if (hashes[slot] == h) {
        return this;
      }
      slot = (slot + 1) & mask;
    }
    hashes[slot] = h;
    size++;
    if (size > EXACT_LIMIT) {
      toEstimate();
    } else if (size * 2 > hashes.length) {
      grow();
    }
    return this;
  }

  private void grow() {
    long[] old = hashes;
    hashes = new long[old.length * 2];
    size = 0;
    for (long h : old) {
      if (h != EMPTY) {
        addHash(h);
      }
    }
  }

  private void toEstimate() {
    if (registers != null) {
      return;
    }
    registers = new byte[REGISTERS];
    for (long h : hashes) {
      if (h != EMPTY) {
        addToRegisters(h);
      }
    }
    hashes = new long[0];
    size = 0;
  }

  private void addToRegisters(long h) {
    int index = (int) (h >>> (64 - PRECISION));
    // The rank of the first 1 bit in the remaining bits, counted from 1.
    int rank = Long.numberOfLeadingZeros((h << PRECISION) | (1L << (PRECISION - 1))) + 1;
    if (rank > registers[index]) {
      registers[index] = (byte) rank;
    }
  }

  /** A 64-bit hash of the text (FNV-1a, then a finalising mix that spreads every bit). */
  static long hash(String value) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < value.length(); i++) {
      h ^= value.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == EMPTY ? 1L : h;
  }

  @Override
  public String toString() {
    return (isExact() ? "" : "~") + count();
  }
}

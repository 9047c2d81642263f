package org.argosy.sensor.delivery;

/**
 * When the spool forces its appends to disk: the price of each append against what a crash costs.
 */
public enum FsyncPolicy {
  /** After every append: nothing spooled is lost in a power failure; slowest. */
  ALWAYS,
  /** When a segment is sealed and when the spool closes: a crash loses at most the open segment. */
  SEGMENT,
  /** Left to the operating system: survives a process crash, not a power failure. */
  NEVER
}

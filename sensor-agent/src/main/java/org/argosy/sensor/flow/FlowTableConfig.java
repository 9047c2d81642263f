package org.argosy.sensor.flow;

/**
 * Flow table settings. Records are cut at status-interval boundaries aligned to the UTC epoch, so a
 * record never spans two windows whose length is a multiple of the interval. Idle timeouts are
 * Argus's defaults.
 */
public record FlowTableConfig(
    long statusIntervalMicros,
    long tcpIdleMicros,
    long udpIdleMicros,
    long icmpIdleMicros,
    long otherIdleMicros,
    int maxFlows) {

  private static final long SECOND = 1_000_000L;

  public FlowTableConfig {
    if (statusIntervalMicros < SECOND) {
      throw new IllegalArgumentException("status interval must be at least 1 s");
    }
    if (maxFlows < 1) {
      throw new IllegalArgumentException("maxFlows must be positive");
    }
  }

  /** Argus's idle timeouts (TCP 60 s, UDP and other IP 30 s, ICMP and ARP 5 s). */
  public static FlowTableConfig withStatusInterval(long statusIntervalSeconds) {
    return new FlowTableConfig(
        statusIntervalSeconds * SECOND,
        60 * SECOND,
        30 * SECOND,
        5 * SECOND,
        5 * SECOND,
        1_000_000);
  }

  long idleTimeoutFor(int etherType, int protocol) {
    if (etherType == 0x0800 || etherType == 0x86DD) {
      return switch (protocol) {
        case 6 -> tcpIdleMicros;
        case 1, 58 -> icmpIdleMicros;
        default -> udpIdleMicros;
      };
    }
    return otherIdleMicros;
  }
}

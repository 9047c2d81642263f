package org.argosy.jobs.source;

import org.argosy.avro.FlowRecord;

/**
 * The rules a decodable flow record must pass to be counted; a record that breaks one goes to the
 * dead-letter topic as {@link DeadLetterReason#ABSURD_VALUES}, since one such record (a counter of
 * 2^62 bytes, a flow from 1970 or from next year) would dominate every ranking and window it lands
 * in. The rules hold for every record the sensor writes:
 *
 * <ul>
 *   <li>no counter ({@code spkts dpkts sbytes dbytes sappbytes dappbytes}) is negative;
 *   <li>{@code ltime >= stime};
 *   <li>{@code stime} is not before 1990-01-01 (no capture is older; a zero or small time is an
 *       unset clock or a corrupt field);
 *   <li>{@code ltime} is at most {@link #MAX_FUTURE_MICROS} (one day) ahead of the job's clock, a
 *       margin far above any sensor's clock skew;
 *   <li>a direction with bytes has packets ({@code spkts == 0} implies {@code sbytes == 0}, same
 *       for {@code d});
 *   <li>at most {@link #MAX_BYTES_PER_PACKET} (256 KiB) bytes per packet on average per direction:
 *       above the largest IPv4 packet (64 KiB) plus link headers, and above the 64 KiB segments
 *       that TSO/GRO hands to a capture on the host, and the largest snapshot length of pcap.
 * </ul>
 */
public final class FlowPlausibility {

  /** 1990-01-01T00:00:00Z in epoch microseconds. */
  public static final long EARLIEST_STIME_MICROS = 631_152_000L * 1_000_000L;

  /** How far ahead of the job's clock a record's last time may be: one day. */
  public static final long MAX_FUTURE_MICROS = 86_400L * 1_000_000L;

  /** Average wire bytes per packet of one direction, at most: 256 KiB. */
  public static final long MAX_BYTES_PER_PACKET = 256L * 1024;

  private FlowPlausibility() {}

  /**
   * The first rule {@code record} breaks, as a sentence naming the fields and values, or null when
   * it is plausible.
   *
   * @param nowMicros the job's clock, UTC epoch microseconds
   */
  public static String violation(FlowRecord record, long nowMicros) {
    String counters = negativeCounter(record);
    if (counters != null) {
      return counters;
    }
    long stime = record.getStime();
    long ltime = record.getLtime();
    if (ltime < stime) {
      return "ltime " + ltime + " before stime " + stime;
    }
    if (stime < EARLIEST_STIME_MICROS) {
      return "stime " + stime + " before 1990-01-01";
    }
    if (ltime > nowMicros + MAX_FUTURE_MICROS) {
      return "ltime " + ltime + " more than a day after now (" + nowMicros + ")";
    }
    String source = direction("s", record.getSpkts(), record.getSbytes());
    return source != null ? source : direction("d", record.getDpkts(), record.getDbytes());
  }

  private static String negativeCounter(FlowRecord r) {
    long[] values = {
      r.getSpkts(), r.getDpkts(), r.getSbytes(), r.getDbytes(), r.getSappbytes(), r.getDappbytes()
    };
    String[] names = {"spkts", "dpkts", "sbytes", "dbytes", "sappbytes", "dappbytes"};
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0) {
        return names[i] + " " + values[i] + " is negative";
      }
    }
    return null;
  }

  private static String direction(String side, long packets, long bytes) {
    if (packets == 0 && bytes > 0) {
      return side + "pkts 0 with " + side + "bytes " + bytes;
    }
    // bytes / packets > MAX without the overflow of packets * MAX.
    long whole = packets > 0 ? bytes / packets : 0;
    if (whole > MAX_BYTES_PER_PACKET || whole == MAX_BYTES_PER_PACKET && bytes % packets != 0) {
      return side
          + "bytes "
          + bytes
          + " over "
          + side
          + "pkts "
          + packets
          + " is more than "
          + MAX_BYTES_PER_PACKET
          + " bytes per packet";
    }
    return null;
  }
}

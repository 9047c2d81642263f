package org.argosy.sensor.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a byte string, the operators of a mutation fuzzer: bit flips, interesting
 * byte values, byte insertion and deletion, truncation, 16-bit length fields set to boundary
 * values, header nibbles (IHL, TCP data offset) set to their extremes, a block repeated (stacked
 * VLAN tags, extension headers, tunnels) and the splice of two inputs. Each operator appends its
 * name and position to a log, so a failing input can be explained and rebuilt.
 */
final class Mutations {

  /** How far into an input a length or header field is looked for: the headers. */
  static final int HEADER_BYTES = 128;

  private static final int[] INTERESTING_16 = {
    0, 1, 2, 4, 8, 14, 20, 40, 0x7F, 0x80, 0xFF, 0x100, 0x5DC, 0x5DD, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF
  };
  private static final int[] INTERESTING_8 = {0, 1, 0x0F, 0x10, 0x40, 0x45, 0x60, 0x7F, 0x80, 0xFF};

  private final Random random;

  Mutations(Random random) {
    this.random = random;
  }

  /**
   * One to four stacked mutations of {@code input}; {@code other} is the splice partner.
   *
   * @param log receives one line per mutation applied
   */
  byte[] mutate(byte[] input, byte[] other, List<String> log) {
    byte[] out = input;
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds; i++) {
      out = once(out, other, log);
    }
    return out;
  }

  private byte[] once(byte[] in, byte[] other, List<String> log) {
    int op = random.nextInt(10);
    if (in.length == 0 && op != 3 && op != 8) {
      op = 3; // only insertion and splicing grow an empty input
    }
    switch (op) {
      case 0, 1 -> {
        byte[] out = in.clone();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
          int bit = random.nextInt(headerBiased(out.length) * 8);
          out[bit / 8] ^= (byte) (1 << (bit % 8));
          log.add("flip bit " + bit);
        }
        return out;
      }
      case 2 -> {
        byte[] out = in.clone();
        int at = random.nextInt(headerBiased(out.length));
        out[at] = (byte) INTERESTING_8[random.nextInt(INTERESTING_8.length)];
        log.add("set byte " + at + " to " + (out[at] & 0xFF));
        return out;
      }
      case 3 -> {
        int at = random.nextInt(in.length + 1);
        byte[] inserted = new byte[1 + random.nextInt(16)];
        random.nextBytes(inserted);
        log.add("insert " + inserted.length + " bytes at " + at);
        return splice(in, at, inserted, in, at);
      }
      case 4 -> {
        int at = random.nextInt(in.length);
        int count = Math.min(in.length - at, 1 + random.nextInt(16));
        log.add("delete " + count + " bytes at " + at);
        return splice(in, at, new byte[0], in, at + count);
      }
      case 5 -> {
        int length = random.nextInt(in.length);
        log.add("truncate to " + length);
        return Arrays.copyOf(in, length);
      }
      case 6 -> {
        if (in.length < 2) {
          return in;
        }
        byte[] out = in.clone();
        int at = random.nextInt(Math.min(out.length, HEADER_BYTES) - 1);
        int value =
            switch (random.nextInt(3)) {
              case 0 -> INTERESTING_16[random.nextInt(INTERESTING_16.length)];
              case 1 -> (out.length - at + random.nextInt(9) - 4) & 0xFFFF; // about the rest
              default -> random.nextInt(0x10000);
            };
        out[at] = (byte) (value >>> 8);
        out[at + 1] = (byte) value;
        log.add("set u16 at " + at + " to " + value);
        return out;
      }
      case 7 -> {
        byte[] out = in.clone();
        int at = random.nextInt(Math.min(out.length, HEADER_BYTES));
        int nibble = new int[] {0, 1, 5, 0xF}[random.nextInt(4)];
        boolean high = random.nextBoolean();
        out[at] = (byte) (high ? (out[at] & 0x0F) | nibble << 4 : (out[at] & 0xF0) | nibble);
        log.add("set " + (high ? "high" : "low") + " nibble of " + at + " to " + nibble);
        return out;
      }
      case 8 -> {
        int cut = random.nextInt(in.length + 1);
        int from = other.length == 0 ? 0 : random.nextInt(other.length);
        log.add("splice first " + cut + " bytes with the other input from " + from);
        return splice(in, cut, new byte[0], other, from);
      }
      default -> {
        int at = random.nextInt(Math.min(in.length, HEADER_BYTES));
        int length = 1 + random.nextInt(Math.min(in.length - at, 16));
        int times = 1 + random.nextInt(12);
        byte[] block = Arrays.copyOfRange(in, at, at + length);
        byte[] repeated = new byte[block.length * times];
        for (int i = 0; i < times; i++) {
          System.arraycopy(block, 0, repeated, i * block.length, block.length);
        }
        log.add("repeat " + length + " bytes at " + at + " " + times + " times");
        return splice(in, at, repeated, in, at);
      }
    }
  }

  /** Positions in the headers four times as often as elsewhere. */
  private int headerBiased(int length) {
    return random.nextInt(5) == 0 ? length : Math.min(length, HEADER_BYTES);
  }

  /** {@code head[0..cut)}, then {@code middle}, then {@code tail[from..)}. */
  private static byte[] splice(byte[] head, int cut, byte[] middle, byte[] tail, int from) {
    byte[] out = new byte[cut + middle.length + tail.length - from];
    System.arraycopy(head, 0, out, 0, cut);
    System.arraycopy(middle, 0, out, cut, middle.length);
    System.arraycopy(tail, from, out, cut + middle.length, tail.length - from);
    return out;
  }
}

package org.argosy.sensor.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.capture.PacketHandler;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.LinkType;
import org.argosy.sensor.decode.PacketDecoder;
import org.argosy.sensor.decode.SkipReason;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the packet decoder and the flow table behind it, over the frames of
 * the shared tcpdump captures (see {@link Mutations}). Each input is decoded twice, once in an
 * array of exactly its length (a read past the end throws) and once in a reused buffer with garbage
 * after the captured bytes (the readers' way; the result must be the same), then metered by a
 * sensor whose records must stay plausible ({@link CheckedRecords}). Packet times move forward with
 * jumps back and to any time a pcap header can hold; the link type is sometimes the wrong one. No
 * exception may escape, no input may take longer than {@link #PER_INPUT}, and the heap may not grow
 * by more than {@link #HEAP_GROWTH} over the run.
 *
 * <p>Default: 100,000 inputs (a few seconds). {@code mvn -Pfuzz test -pl sensor-agent} runs
 * millions; {@code -Dargosy.fuzz.seed=N} repeats a printed seed, {@code
 * -Dargosy.fuzz.decoder.inputs=N} sets the count.
 */
class PacketDecoderFuzzTest {

  static final Duration PER_INPUT = Duration.ofSeconds(5);

  /** The table is capped at 20,000 flows and fragments at 65,536 datagrams: both bounded. */
  static final long HEAP_GROWTH = 64L << 20;

  /** The largest frame a capture reader hands over. */
  static final int MAX_FRAME = 262_144;

  private static final long SECOND = 1_000_000L;

  /** The latest time a classic pcap record header can hold. */
  private static final long LATEST_PCAP_MICROS = 0xFFFF_FFFFL * SECOND + 999_999;

  private static List<Seeds.Frame> seeds;

  @BeforeAll
  static void loadSeeds() throws Exception {
    Assumptions.assumeTrue(
        Files.isDirectory(Seeds.corpus()), "shared corpus not present at " + Seeds.corpus());
    seeds = Seeds.frames();
    assertThat(seeds.size()).as("frames of the corpus").isGreaterThan(5_000);
  }

  /** The input being run, for the failure message. */
  private record Input(int seed, LinkType linkType, List<String> mutations, byte[] bytes) {
    @Override
    public String toString() {
      byte[] shown = Arrays.copyOf(bytes, Math.min(bytes.length, 256));
      return String.format(
          "seed frame %d, link type %s, mutations %s, %d bytes: %s%s",
          seed,
          linkType,
          mutations,
          bytes.length,
          HexFormat.of().formatHex(shown),
          shown.length < bytes.length ? "..." : "");
    }
  }

  @Test
  void mutatedFramesNeitherThrowNorHangNorGrowTheHeap() throws Exception {
    FuzzRun run = new FuzzRun("decoder", 100_000, PER_INPUT, HEAP_GROWTH);
    Random random = new Random(run.seed());
    Mutations mutations = new Mutations(random);
    CheckedRecords records = new CheckedRecords();
    Sensor sensor =
        new Sensor(
            new FlowTableConfig(
                5 * SECOND, 60 * SECOND, 30 * SECOND, 5 * SECOND, 5 * SECOND, 20_000),
            new SensorIdentity("fuzz", "fuzz", "corpus"),
            records);
    Map<LinkType, PacketHandler> inputs = new EnumMap<>(LinkType.class);
    Map<LinkType, PacketDecoder> exact = new EnumMap<>(LinkType.class);
    Map<LinkType, PacketDecoder> reused = new EnumMap<>(LinkType.class);
    for (LinkType type : LinkType.values()) {
      inputs.put(type, sensor.input(type));
      exact.put(type, new PacketDecoder(type));
      reused.put(type, new PacketDecoder(type));
    }
    DecodedPacket exactPacket = new DecodedPacket();
    DecodedPacket reusedPacket = new DecodedPacket();
    byte[] buffer = new byte[MAX_FRAME];
    byte[] garbage = new byte[64];
    LinkType[] linkTypes = LinkType.values();
    long[] clock = {seeds.get(0).timeMicros()};
    Input[] current = {null};

    FuzzRun.Result result =
        run.run(
            index -> {
              int seedIndex = random.nextInt(seeds.size());
              Seeds.Frame seed = seeds.get(seedIndex);
              Seeds.Frame other = seeds.get(random.nextInt(seeds.size()));
              List<String> log = new ArrayList<>(4);
              byte[] bytes = mutations.mutate(seed.bytes(), other.bytes(), log);
              if (bytes.length > MAX_FRAME) {
                bytes = Arrays.copyOf(bytes, MAX_FRAME);
              }
              LinkType type =
                  random.nextInt(20) == 0 || seed.linkType() == LinkType.UNSUPPORTED
                      ? linkTypes[random.nextInt(linkTypes.length)]
                      : seed.linkType();
              current[0] = new Input(seedIndex, type, log, bytes);

              SkipReason exactSkip = exact.get(type).decode(bytes, bytes.length, exactPacket);
              System.arraycopy(bytes, 0, buffer, 0, bytes.length);
              random.nextBytes(garbage);
              System.arraycopy(
                  garbage, 0, buffer, bytes.length, Math.min(64, MAX_FRAME - bytes.length));
              SkipReason reusedSkip = reused.get(type).decode(buffer, bytes.length, reusedPacket);
              if (exactSkip != reusedSkip
                  || !describe(exactPacket).equals(describe(reusedPacket))) {
                throw new AssertionError(
                    "bytes after the captured length changed the result: "
                        + exactSkip
                        + " "
                        + describe(exactPacket)
                        + " vs "
                        + reusedSkip
                        + " "
                        + describe(reusedPacket));
              }

              inputs
                  .get(type)
                  .onPacket(
                      bytes, bytes.length, wireLength(random, seed, bytes), tick(random, clock));
            },
            () -> String.valueOf(current[0]));
    sensor.finish();

    assertThat(sensor.counters().packets()).isEqualTo(run.inputs());
    assertThat(sensor.counters().skippedTotal())
        .as("mutations that break headers")
        .isPositive()
        .isLessThan(run.inputs());
    assertThat(records.records()).as("mutations that still meter").isPositive();
    System.out.printf(
        "fuzz decoder: %d inputs, %d skipped %s, %d records%n",
        result.inputs(),
        sensor.counters().skippedTotal(),
        sensor.counters().skipped(),
        records.records());
  }

  /** The seed's wire length adjusted to the mutation; sometimes anything a header can hold. */
  private static int wireLength(Random random, Seeds.Frame seed, byte[] bytes) {
    return switch (random.nextInt(20)) {
      case 0 -> random.nextInt(Integer.MAX_VALUE);
      case 1 -> random.nextInt(bytes.length + 1); // shorter than captured: a corrupt header
      default -> Math.max(bytes.length, seed.wireLength() + bytes.length - seed.bytes().length);
    };
  }

  /** Up to 2 s forward; now and then back up to an hour, or to any time pcap can hold. */
  private static long tick(Random random, long[] clock) {
    int choice = random.nextInt(1000);
    if (choice == 0) {
      clock[0] = (long) (random.nextDouble() * LATEST_PCAP_MICROS);
    } else if (choice < 10) {
      clock[0] = Math.max(0, clock[0] - (long) (random.nextDouble() * 3600 * SECOND));
    } else {
      clock[0] = Math.min(LATEST_PCAP_MICROS, clock[0] + random.nextInt(2_000_000));
    }
    return clock[0];
  }

  /** Every field of a decoded packet, for comparing two decodings. */
  static String describe(DecodedPacket p) {
    return p.etherType
        + " "
        + p.hasMacs
        + Arrays.toString(p.srcMac)
        + Arrays.toString(p.dstMac)
        + Arrays.toString(Arrays.copyOf(p.vlanIds, p.vlanCount))
        + Arrays.toString(Arrays.copyOf(p.mplsLabels, p.mplsCount))
        + p.tunneled
        + p.hasAddresses
        + Arrays.toString(p.srcAddr)
        + Arrays.toString(p.dstAddr)
        + " "
        + p.protocol
        + " "
        + p.tos
        + " "
        + p.ttl
        + " "
        + p.fragmented
        + p.laterFragment
        + p.fragmentId
        + p.moreFragments
        + p.ipOptions
        + " "
        + p.srcPort
        + " "
        + p.dstPort
        + " "
        + p.tcpFlags
        + " "
        + p.tcpSeq
        + " "
        + p.icmpType
        + " "
        + p.icmpCode
        + " "
        + p.icmpId
        + " "
        + p.payloadLength;
  }
}

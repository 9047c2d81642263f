package org.argosy.sensor.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the capture file readers ({@code PcapFileReader}: the memory-mapped
 * classic pcap reader, and the pcapng reader) with the sensor behind them, over the small captures
 * of the shared corpus: record headers with lengths and times set to boundary values, truncation at
 * any byte, and the generic mutations of {@link Mutations} (the global header included). Every read
 * ends either normally or in a {@link CaptureFileException} naming the file (and, for classic pcap,
 * the byte offset of the bad record); nothing else escapes, no read hangs, and the records before a
 * cut are still delivered: a classic pcap file truncated anywhere yields exactly its whole records
 * before the cut.
 *
 * <p>Default 2,000 files (seconds); {@code mvn -Pfuzz test -pl sensor-agent} runs 100,000; {@code
 * -Dargosy.fuzz.seed=N} and {@code -Dargosy.fuzz.files.inputs=N} as printed.
 */
class CaptureFileFuzzTest {

  /** Seed files up to this size: enough records, quick to rewrite. */
  static final long MAX_SEED_BYTES = 64 * 1024;

  static final int CLASSIC_HEADER = 24;
  static final int RECORD_HEADER = 16;
  static final int MAX_CAPTURED = 262_144;

  private static final int[] INTERESTING_32 = {
    0,
    1,
    16,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFF,
    MAX_CAPTURED,
    MAX_CAPTURED + 1,
    999_999,
    1_000_000,
    999_999_999,
    1_000_000_000
  };

  private static final List<byte[]> seeds = new ArrayList<>();

  @TempDir Path work;

  @BeforeAll
  static void loadSeeds() throws Exception {
    Assumptions.assumeTrue(
        Files.isDirectory(Seeds.corpus()), "shared corpus not present at " + Seeds.corpus());
    for (Path file : Seeds.files()) {
      if (Files.size(file) <= MAX_SEED_BYTES && Files.size(file) >= 4) {
        byte[] bytes = Files.readAllBytes(file);
        if (byteOrder(bytes) != null || isPcapng(bytes)) {
          seeds.add(bytes);
        }
      }
    }
    assertThat(seeds.size()).as("small captures in the corpus").isGreaterThan(300);
  }

  /** A mutated capture, and for a truncated classic pcap the records that must still be read. */
  private record Mutant(Path file, List<String> mutations, long expectedPackets) {}

  @Test
  void mutatedCaptureFilesEndInTheirRecordsOrAnErrorNamingFileAndOffset() throws Exception {
    FuzzRun run = new FuzzRun("files", 2_000, Duration.ofSeconds(10), 64L << 20);
    Random random = new Random(run.seed());
    Mutations mutations = new Mutations(random);
    Mutant[] current = {null};
    long[] outcomes = new long[3]; // read to the end, classic pcap error, any other file's error

    FuzzRun.Result result =
        run.run(
            index -> {
              byte[] seed = seeds.get(random.nextInt(seeds.size()));
              List<String> log = new ArrayList<>();
              long expected = -1;
              byte[] bytes;
              int kind = random.nextInt(5);
              if (kind <= 1 && byteOrder(seed) != null && seed.length > CLASSIC_HEADER) {
                bytes = mutateRecordHeader(seed, random, log);
              } else if (kind == 2) {
                int cut = random.nextInt(seed.length + 1);
                bytes = java.util.Arrays.copyOf(seed, cut);
                log.add("truncate to " + cut);
                expected = byteOrder(seed) != null ? wholeRecordsBefore(seed, cut) : -1;
              } else {
                bytes = mutations.mutate(seed, seeds.get(random.nextInt(seeds.size())), log);
              }
              Path file = work.resolve("mutant-" + index + ".pcap");
              Files.write(file, bytes);
              current[0] = new Mutant(file, log, expected);

              Sensor sensor =
                  new Sensor(
                      FlowTableConfig.withStatusInterval(5),
                      new SensorIdentity("fuzz", "fuzz", "file"),
                      new CheckedRecords());
              try {
                sensor.readFile(file);
                outcomes[0]++;
              } catch (CaptureFileException e) {
                assertThat(e.getMessage()).as("the error names the file").contains(file.toString());
                if (byteOrder(bytes) != null) {
                  assertThat(e.getMessage())
                      .as("a classic pcap error says where")
                      .containsAnyOf("byte offset ", "shorter than a pcap header");
                  outcomes[1]++;
                } else {
                  outcomes[2]++;
                }
              }
              sensor.finish();
              if (expected >= 0) {
                assertThat(sensor.counters().packets())
                    .as("whole records before the cut")
                    .isEqualTo(expected);
              }
              Files.delete(file);
            },
            () -> {
              Mutant mutant = current[0];
              if (mutant == null) {
                return "no input yet";
              }
              try {
                // keep the file that failed, for the reproduction
                Path kept =
                    Path.of("target", "fuzz-failures", mutant.file().getFileName().toString());
                Files.createDirectories(kept.getParent());
                Files.copy(mutant.file(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return "mutations "
                    + mutant.mutations()
                    + ", file kept as "
                    + kept.toAbsolutePath();
              } catch (java.io.IOException e) {
                return "mutations " + mutant.mutations() + " (file not kept: " + e + ")";
              }
            });

    System.out.printf(
        "fuzz files: %d files, %d read to the end, %d classic pcap errors, %d other errors%n",
        result.inputs(), outcomes[0], outcomes[1], outcomes[2]);
    assertThat(outcomes[0]).as("files read to the end").isPositive();
    assertThat(outcomes[1]).as("classic pcap files refused with an offset").isPositive();
  }

  /** One record header's length or time field set to a boundary value. */
  private static byte[] mutateRecordHeader(byte[] seed, Random random, List<String> log) {
    ByteBuffer buffer = ByteBuffer.wrap(seed.clone()).order(byteOrder(seed));
    List<Integer> headers = recordHeaders(seed);
    if (headers.isEmpty()) {
      log.add("no record header");
      return buffer.array();
    }
    int at = headers.get(random.nextInt(headers.size()));
    int field = random.nextInt(4) * 4; // seconds, fraction, captured length, wire length
    int value =
        random.nextBoolean()
            ? INTERESTING_32[random.nextInt(INTERESTING_32.length)]
            : buffer.getInt(at + field) + random.nextInt(9) - 4;
    buffer.putInt(at + field, value);
    log.add("set record header field " + field + " at byte " + at + " to " + value);
    return buffer.array();
  }

  /** The byte order of a classic pcap file, or null when it is not one. */
  static ByteOrder byteOrder(byte[] bytes) {
    if (bytes.length < 4) {
      return null;
    }
    int magic = ByteBuffer.wrap(bytes).getInt(0);
    if (magic == 0xA1B2C3D4 || magic == 0xA1B23C4D) {
      return ByteOrder.BIG_ENDIAN;
    }
    int swapped = Integer.reverseBytes(magic);
    return swapped == 0xA1B2C3D4 || swapped == 0xA1B23C4D ? ByteOrder.LITTLE_ENDIAN : null;
  }

  static boolean isPcapng(byte[] bytes) {
    return bytes.length >= 4 && ByteBuffer.wrap(bytes).getInt(0) == 0x0A0D0D0A;
  }

  /**
   * The offsets of the record headers of a classic pcap file, up to the first record that is cut
   * off or has an impossible captured length (as the reader refuses it).
   */
  static List<Integer> recordHeaders(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(byteOrder(bytes));
    List<Integer> headers = new ArrayList<>();
    long at = CLASSIC_HEADER;
    while (at + RECORD_HEADER <= bytes.length) {
      int captured = buffer.getInt((int) at + 8);
      if (captured < 0 || captured > MAX_CAPTURED || at + RECORD_HEADER + captured > bytes.length) {
        break;
      }
      headers.add((int) at);
      at += RECORD_HEADER + captured;
    }
    return headers;
  }

  /** Whole, readable records of a classic pcap file that end at or before byte {@code cut}. */
  static long wholeRecordsBefore(byte[] bytes, int cut) {
    if (cut < CLASSIC_HEADER) {
      return 0;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(byteOrder(bytes));
    return recordHeaders(bytes).stream()
        .filter(at -> at + RECORD_HEADER + buffer.getInt(at + 8) <= cut)
        .count();
  }
}

package org.argosy.sensor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

  @TempDir Path dir;

  private static SpoolRecord record(int i) {
    return new SpoolRecord(
        1_700_000_000_000L + i,
        new byte[] {(byte) i},
        ("value-" + i).getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> values(DiskSpool spool) {
    List<String> values = new ArrayList<>();
    for (DiskSpool.Segment segment = spool.oldest(); segment != null; segment = spool.oldest()) {
      for (SpoolRecord r : segment.records()) {
        assertThat(r.timestamp()).isEqualTo(1_700_000_000_000L + (r.key()[0] & 0xff));
        values.add(new String(r.value(), StandardCharsets.UTF_8));
      }
      spool.release(segment);
    }
    return values;
  }

  @Test
  void replaysInAppendOrderAcrossSegmentsAndEmptiesOnRelease() {
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20, 1024, FsyncPolicy.NEVER)) {
      for (int i = 0; i < 200; i++) {
        assertThat(spool.append(record(i))).isTrue();
      }
      assertThat(spool.isEmpty()).isFalse();
      List<String> replayed = values(spool);
      assertThat(replayed).hasSize(200).startsWith("value-0", "value-1").endsWith("value-199");
      assertThat(spool.isEmpty()).isTrue();
      assertThat(spool.bytes()).isZero();
    }
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void refusesAppendsBeyondTheSizeCap() {
    try (DiskSpool spool = new DiskSpool(dir, 2048, 1024, FsyncPolicy.NEVER)) {
      int stored = 0;
      while (spool.append(record(stored))) {
        stored++;
      }
      assertThat(stored).isBetween(50, 200);
      assertThat(spool.bytes()).isLessThanOrEqualTo(2048);
      assertThat(values(spool)).hasSize(stored);
      assertThat(spool.append(record(1))).as("room again after release").isTrue();
    }
  }

  @Test
  void survivesACrashAndCutsATornRecord() throws Exception {
    DiskSpool crashed = new DiskSpool(dir, 1 << 20, 1 << 16, FsyncPolicy.ALWAYS);
    for (int i = 0; i < 10; i++) {
      crashed.append(record(i));
    }
    // no close(): the process died; then a half-written frame at the end of the segment
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.findFirst().orElseThrow();
    }
    Files.write(segment, new byte[] {0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND);

    try (DiskSpool recovered = new DiskSpool(dir, 1 << 20, 1 << 16, FsyncPolicy.ALWAYS)) {
      recovered.append(record(10));
      assertThat(values(recovered))
          .containsExactly(
              "value-0",
              "value-1",
              "value-2",
              "value-3",
              "value-4",
              "value-5",
              "value-6",
              "value-7",
              "value-8",
              "value-9",
              "value-10");
    }
  }

  @Test
  void corruptRecordEndsWhatIsReplayedOfItsSegment() throws Exception {
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20, 1 << 16, FsyncPolicy.SEGMENT)) {
      spool.append(record(1));
      spool.append(record(2));
    }
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 1] ^= 0x55; // flip bits in the second record's value
    Files.write(segment, bytes);
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20, 1 << 16, FsyncPolicy.SEGMENT)) {
      assertThat(values(spool)).containsExactly("value-1");
    }
  }

  @Test
  void prependedRecordsComeFirst() {
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20, 1024, FsyncPolicy.NEVER)) {
      spool.append(record(3));
      spool.append(record(4));
      spool.prepend(List.of(record(1), record(2)));
      assertThat(values(spool)).containsExactly("value-1", "value-2", "value-3", "value-4");
    }
  }

  @Test
  void rejectsNonsenseSizes() {
    assertThatThrownBy(() -> new DiskSpool(dir, 100, 1000, FsyncPolicy.NEVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes");
  }
}

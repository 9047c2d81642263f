package org.argosy.sensor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentSequenceTest {

  @TempDir Path dir;

  @Test
  void continuesAcrossRestartsWithoutEverRepeatingANumber() {
    Path file = dir.resolve("sensor-7/sequence");
    Set<Long> issued = new HashSet<>();
    long last = -1;
    for (int run = 0; run < 3; run++) {
      // no close, no shutdown: each run may end as a crash would
      PersistentSequence sequence = new PersistentSequence(file);
      for (int i = 0; i < 12_345; i++) {
        long next = sequence.next();
        assertThat(next).isGreaterThan(last);
        assertThat(issued.add(next)).isTrue();
        last = next;
      }
    }
    assertThat(issued).hasSize(3 * 12_345);
  }

  @Test
  void aCrashCostsAtMostTheRestOfOneBlock() {
    Path file = dir.resolve("sequence");
    PersistentSequence first = new PersistentSequence(file);
    long lastOfFirstRun = 0;
    for (int i = 0; i < 10; i++) {
      lastOfFirstRun = first.next();
    }
    long firstOfSecondRun = new PersistentSequence(file).next();
    assertThat(firstOfSecondRun - lastOfFirstRun)
        .isPositive()
        .isLessThanOrEqualTo(PersistentSequence.BLOCK);
  }

  @Test
  void anUnreadableFileIsAClearErrorNotAFreshStart() throws Exception {
    Path file = dir.resolve("sequence");
    Files.writeString(file, "not a number");
    assertThatThrownBy(() -> new PersistentSequence(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("unreadable");
  }
}

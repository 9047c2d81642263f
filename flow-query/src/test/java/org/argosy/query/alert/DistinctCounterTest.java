package org.argosy.query.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DistinctCounterTest {

  @Test
  void countsExactlyUpToTheLimitWhateverTheRepeats() {
    DistinctCounter counter = new DistinctCounter();
    for (int round = 0; round < 3; round++) {
      for (int port = 1; port <= DistinctCounter.EXACT_LIMIT; port++) {
        counter.add(Integer.toString(port));
      }
    }
    assertThat(counter.isExact()).isTrue();
    assertThat(counter.count()).isEqualTo(DistinctCounter.EXACT_LIMIT);
  }

  @Test
  void estimatesBeyondTheLimitWithinTheDocumentedError() {
    // 1.6% standard error: 5% is more than three standard deviations.
    for (int distinct : new int[] {5_000, 65_535, 1_000_000}) {
      DistinctCounter counter = new DistinctCounter();
      for (int i = 0; i < distinct; i++) {
        counter.add("10.0." + (i >> 8) + "." + (i & 0xff));
      }
      assertThat(counter.isExact()).isFalse();
      assertThat((double) counter.count()).isCloseTo(distinct, within(distinct * 0.05));
      assertThat(counter.toString()).startsWith("~");
    }
  }

  @Test
  void mergingCountsTheUnion() {
    DistinctCounter evens = new DistinctCounter();
    DistinctCounter small = new DistinctCounter();
    for (int i = 0; i < 100; i += 2) {
      evens.add("v" + i);
    }
    for (int i = 0; i < 10; i++) {
      small.add("v" + i);
    }
    assertThat(evens.merge(small).count()).isEqualTo(55);

    DistinctCounter large = new DistinctCounter();
    for (int i = 0; i < 20_000; i++) {
      large.add("v" + i);
    }
    DistinctCounter merged = new DistinctCounter().add("v1").merge(large);
    assertThat((double) merged.count()).isCloseTo(20_000, within(1_000.0));
    assertThat((double) small.merge(large).count()).isCloseTo(20_000, within(1_000.0));
  }
}

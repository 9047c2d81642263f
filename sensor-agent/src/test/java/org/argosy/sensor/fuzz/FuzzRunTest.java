package org.argosy.sensor.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fuzz harness itself: it reports a throwing input and a hanging one, and replays a seed. */
class FuzzRunTest {

  @Test
  void anExceptionFailsTheRunNamingSeedInputAndDescription() {
    FuzzRun run = new FuzzRun("harness-throw", 100, Duration.ofSeconds(5), Long.MAX_VALUE);
    assertThatThrownBy(
            () ->
                run.run(
                    index -> {
                      if (index == 37) {
                        throw new IllegalStateException("boom");
                      }
                    },
                    () -> "the 38th input"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("seed " + run.seed())
        .hasMessageContaining("input #37 failed")
        .hasMessageContaining("boom")
        .hasMessageContaining("the 38th input");
  }

  @Test
  void anInputThatDoesNotFinishIsAHangWithTheWorkersStack() {
    FuzzRun run = new FuzzRun("harness-hang", 10, Duration.ofMillis(200), Long.MAX_VALUE);
    assertThatThrownBy(
            () ->
                run.run(
                    index -> {
                      if (index == 3) {
                        Thread.sleep(2_000); // stands for an endless loop; ends to free the thread
                      }
                    },
                    () -> "the slow one"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("input #3 did not finish within PT0.2S (hang)")
        .hasMessageContaining("the slow one")
        .satisfies(
            e ->
                assertThat(e.getStackTrace())
                    .anySatisfy(f -> assertThat(f.getMethodName()).isEqualTo("sleep")));
  }

  @Test
  void theSameSeedMakesTheSameMutations() {
    byte[] input = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes();
    byte[] other = "ZYXWVUTSRQPONMLKJIHGFEDCBA".getBytes();
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    Mutations a = new Mutations(new Random(99));
    Mutations b = new Mutations(new Random(99));
    for (int i = 0; i < 1_000; i++) {
      assertThat(b.mutate(input, other, second)).isEqualTo(a.mutate(input, other, first));
    }
    assertThat(second).isEqualTo(first);
    assertThat(first)
        .anyMatch(m -> m.startsWith("flip bit"))
        .anyMatch(m -> m.startsWith("insert"))
        .anyMatch(m -> m.startsWith("delete"))
        .anyMatch(m -> m.startsWith("truncate"))
        .anyMatch(m -> m.startsWith("set u16"))
        .anyMatch(m -> m.startsWith("splice"))
        .anyMatch(m -> m.startsWith("repeat"));
  }
}

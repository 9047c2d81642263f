package org.argosy.tools.rasort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.query.FlowMerge;
import org.argosy.query.InvalidQueryException;
import org.junit.jupiter.api.Test;

class AggregateOrderTest {

  private static FlowAggregate aggregate(String proto, String dport, long sbytes, long stime) {
    FlowAggregate aggregate = FlowMerge.empty();
    aggregate.setKey(List.of(new KeyField("proto", proto), new KeyField("dport", dport)));
    aggregate.setSbytes(sbytes);
    aggregate.setStime(stime);
    return aggregate;
  }

  private static List<String> sorted(List<String> terms, FlowAggregate... aggregates) {
    List<FlowAggregate> rows = new ArrayList<>(List.of(aggregates));
    rows.sort(AggregateOrder.parse(terms, List.of("proto", "dport")));
    return rows.stream()
        .map(a -> a.getKey().get(0).getValue() + "/" + a.getKey().get(1).getValue())
        .toList();
  }

  @Test
  void countersLargestFirstAndTiesByKeyValuesNumbersAsNumbers() {
    assertThat(
            sorted(
                List.of("bytes"),
                aggregate("6", "80", 100, 0),
                aggregate("6", "443", 100, 0),
                aggregate("6", "22", 100, 0),
                aggregate("17", "53", 500, 0),
                aggregate("6", "", 100, 0)))
        // 17 before 6 would be text order; 22 < 80 < 443 only as numbers; no port sorts first
        .containsExactly("17/53", "6/", "6/22", "6/80", "6/443");
  }

  @Test
  void keyFieldsAscendingAndTextAfterDigits() {
    assertThat(
            sorted(
                List.of("dport"),
                aggregate("6", "8080", 1, 0),
                aggregate("6", "", 1, 0),
                aggregate("6", "9", 1, 0),
                aggregate("6", "x1", 1, 0)))
        // a value that is not all digits is compared as text: empty first, letters after digits
        .containsExactly("6/", "6/9", "6/8080", "6/x1");
  }

  @Test
  void timesAscendingThenTheNextTerm() {
    assertThat(
            sorted(
                List.of("stime", "bytes"),
                aggregate("6", "1", 10, 2),
                aggregate("6", "2", 30, 1),
                aggregate("6", "3", 20, 2)))
        .containsExactly("6/2", "6/3", "6/1");
  }

  @Test
  void anUnknownTermIsAnErrorNamingIt() {
    assertThatThrownBy(() -> AggregateOrder.parse(List.of("bites"), List.of("dport")))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("bites");
  }
}

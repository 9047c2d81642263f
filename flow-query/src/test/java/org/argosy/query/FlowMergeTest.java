package org.argosy.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;
import org.junit.jupiter.api.Test;

class FlowMergeTest {

  private static FlowRecord record(
      long stime, long ltime, long spkts, long sbytes, long dpkts, long dbytes) {
    FlowRecord r = ClusterKeySpecTest.tcp("10.0.0.1", 40000, "10.0.0.2", 80);
    r.setStime(stime);
    r.setLtime(ltime);
    r.setSpkts(spkts);
    r.setSbytes(sbytes);
    r.setDpkts(dpkts);
    r.setDbytes(dbytes);
    return r;
  }

  @Test
  void sumsCountersPerSideAndSpansTime() {
    FlowAggregate a = FlowMerge.empty();
    FlowMerge.add(a, record(2_000_000, 3_000_000, 3, 300, 2, 2000));
    FlowMerge.add(a, record(1_000_000, 1_500_000, 1, 60, 1, 60));

    assertThat(a.getSpkts()).isEqualTo(4);
    assertThat(a.getDpkts()).isEqualTo(3);
    assertThat(a.getSbytes()).isEqualTo(360);
    assertThat(a.getDbytes()).isEqualTo(2060);
    assertThat(a.getTrans()).isEqualTo(2);
    assertThat(a.getStime()).isEqualTo(1_000_000);
    assertThat(a.getLtime()).isEqualTo(3_000_000);
    assertThat(AggregateMetrics.dur(a)).isEqualTo(2.0);
    assertThat(AggregateMetrics.load(a)).isCloseTo(2420 * 8 / 2.0, within(1e-9));
    assertThat(AggregateMetrics.rate(a)).isCloseTo(3.5, within(1e-9));
  }

  @Test
  void mergeOfPartialsEqualsOneAccumulator() {
    FlowRecord r1 = record(1, 5, 1, 100, 0, 0);
    FlowRecord r2 = record(3, 9, 2, 200, 1, 50);
    FlowRecord r3 = record(0, 2, 1, 70, 1, 70);
    FlowAggregate whole =
        FlowMerge.add(FlowMerge.add(FlowMerge.add(FlowMerge.empty(), r1), r2), r3);
    FlowAggregate left = FlowMerge.add(FlowMerge.empty(), r1);
    FlowAggregate right = FlowMerge.add(FlowMerge.add(FlowMerge.empty(), r2), r3);
    assertThat(FlowMerge.merge(left, right)).isEqualTo(whole);
    assertThat(FlowMerge.merge(FlowMerge.empty(), whole)).isEqualTo(whole);
  }

  @Test
  void zeroSpanHasZeroLoadAsArgusPrints() {
    FlowAggregate a = FlowMerge.add(FlowMerge.empty(), record(7, 7, 1, 60, 0, 0));
    assertThat(AggregateMetrics.load(a)).isZero();
    assertThat(AggregateMetrics.rate(a)).isZero();
  }

  @Test
  void topNRanksByBytesThenLoadThenKey() {
    RankingOrder order = RankingOrder.parse(List.of("bytes", "load"));
    TopN top = new TopN(3, order);
    top.offer(aggregate("80", 1000, 0, 10));
    top.offer(aggregate("443", 5000, 0, 10));
    top.offer(aggregate("22", 1000, 0, 1)); // same bytes as 80, shorter span: higher load
    top.offer(aggregate("53", 10, 0, 1));
    top.offer(aggregate("25", 1000, 0, 1)); // ties 22 on bytes and load: lower port first

    assertThat(top.offered()).isEqualTo(5);
    assertThat(top.best())
        .extracting(a -> a.getKey().get(0).getValue())
        .containsExactly("443", "22", "25");
  }

  @Test
  void topNOfferedAReusedObjectCopiesOnlyWhatItKeeps() {
    RankingOrder order = RankingOrder.parse(List.of("bytes"));
    TopN plain = new TopN(2, order);
    TopN copying = new TopN(2, order);
    List<FlowAggregate> copies = new ArrayList<>();
    FlowAggregate reused = FlowMerge.empty();
    long[] bytes = {100, 300, 50, 200, 400, 10};
    for (int i = 0; i < bytes.length; i++) {
      FlowAggregate next = aggregate(Integer.toString(i), bytes[i], 0, 1);
      plain.offer(next);
      reused.setKey(next.getKey());
      reused.setSbytes(next.getSbytes());
      reused.setStime(next.getStime());
      reused.setLtime(next.getLtime());
      copying.offer(
          reused,
          candidate -> {
            FlowAggregate copy = FlowAggregate.newBuilder(candidate).build();
            copies.add(copy);
            return copy;
          });
    }

    assertThat(copying.offered()).isEqualTo(plain.offered()).isEqualTo(6);
    assertThat(copying.best()).isEqualTo(plain.best());
    assertThat(copying.best()).extracting(FlowAggregate::getSbytes).containsExactly(400L, 300L);
    // 100 and 300 fill the top, 200 and 400 beat its worst; 50 and 10 are never copied
    assertThat(copies).extracting(FlowAggregate::getSbytes).containsExactly(100L, 300L, 200L, 400L);
  }

  private static FlowAggregate aggregate(
      String dport, long bytes, long stimeSeconds, long ltimeSeconds) {
    FlowAggregate a = FlowMerge.empty();
    a.setKey(List.of(new KeyField("dport", dport)));
    a.setSbytes(bytes);
    a.setStime(stimeSeconds * 1_000_000);
    a.setLtime(ltimeSeconds * 1_000_000);
    return a;
  }
}

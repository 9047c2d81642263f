package org.argosy.jobs.topn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.query.IpAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopNJobTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final long SECOND = 1_000_000L;
  private static final long BASE = 1_700_000_000L * SECOND; // a multiple of 10 s

  static FlowRecord record(int proto, int dport, long stime, long ltime, long sbytes, long dbytes) {
    return FlowRecord.newBuilder()
        .setSite("site")
        .setSensorId("sensor")
        .setIface("eth0")
        .setSeq(0)
        .setStime(stime)
        .setLtime(ltime)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .setProto(proto)
        .setSaddr(IpAddresses.parse("10.0.0.1"))
        .setDaddr(IpAddresses.parse("10.0.0.2"))
        .setSport(50000)
        .setDport(dport)
        .setSpkts(1)
        .setDpkts(1)
        .setSbytes(sbytes)
        .setDbytes(dbytes)
        .build();
  }

  @Test
  void ranksEachWindowByBytesAndKeepsTopN() throws Exception {
    List<FlowRecord> records =
        List.of(
            // window [BASE, BASE+10s)
            record(6, 80, BASE + 1 * SECOND, BASE + 2 * SECOND, 100, 900),
            record(6, 80, BASE + 6 * SECOND, BASE + 9 * SECOND, 100, 900),
            record(6, 443, BASE + 2 * SECOND, BASE + 3 * SECOND, 500, 1000),
            record(17, 53, BASE + 3 * SECOND, BASE + 3 * SECOND, 60, 120),
            record(6, 22, BASE + 4 * SECOND, BASE + 5 * SECOND, 50, 50),
            // window [BASE+10s, BASE+20s): one key only
            record(17, 53, BASE + 12 * SECOND, BASE + 13 * SECOND, 70, 70));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    TopNReport report =
        TopNReport.builder().name("top-dports").n(3).window(Duration.ofSeconds(10)).build();
    List<TopNRanking> rankings = new ArrayList<>();
    try (CloseableIterator<TopNRanking> out =
        TopNJob.rankings(
                env.fromData(records)
                    .assignTimestampsAndWatermarks(TopNJob.watermarks(Duration.ZERO)),
                report)
            .executeAndCollect()) {
      out.forEachRemaining(rankings::add);
    }

    rankings.sort((a, b) -> Long.compare(a.getWindowStart(), b.getWindowStart()));
    assertThat(rankings).hasSize(2);
    TopNRanking first = rankings.get(0);
    assertThat(first.getWindowStart()).isEqualTo(BASE);
    assertThat(first.getWindowEnd()).isEqualTo(BASE + 10 * SECOND);
    assertThat(first.getKeyCount()).isEqualTo(4);
    assertThat(first.getN()).isEqualTo(3);
    assertThat(first.getSortKeys()).containsExactly("bytes", "load");
    assertThat(first.getRows())
        .extracting(row -> row.getKey().get(1).getValue())
        .containsExactly("80", "443", "53");
    FlowAggregate http = first.getRows().get(0);
    assertThat(http.getKey())
        .containsExactly(new KeyField("proto", "6"), new KeyField("dport", "80"));
    assertThat(http.getTrans()).isEqualTo(2);
    assertThat(http.getSbytes() + http.getDbytes()).isEqualTo(2000);
    assertThat(http.getStime()).isEqualTo(BASE + SECOND);
    assertThat(http.getLtime()).isEqualTo(BASE + 9 * SECOND);
    assertThat(http.getReport()).isEqualTo("top-dports");

    TopNRanking second = rankings.get(1);
    assertThat(second.getKeyCount()).isEqualTo(1);
    assertThat(second.getRows())
        .singleElement()
        .satisfies(row -> assertThat(row.getTrans()).isEqualTo(1));
  }
}

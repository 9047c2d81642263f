package org.argosy.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.topn.TopNReport;
import org.argosy.query.AggregateMetrics;
import org.argosy.sensor.flow.SensorIdentity;
import org.junit.jupiter.api.Test;

/**
 * The bundled capture through the real pipeline: sensor, in-process Kafka broker, the ranking job
 * on a local Flink cluster, rankings read back from topic flow-topn. Every window's top 10 must be
 * exactly the independently computed one (samples/expected/demo-top10.tsv).
 */
class DemoPipelineITCase {

  @Test
  void bundledCaptureYieldsTheExpectedTopTenOfEveryWindow() throws Exception {
    List<TopNRanking> rankings = new ArrayList<>();
    DemoPipeline.Settings settings =
        new DemoPipeline.Settings(
            ExpectedRanking.bundledCapture(),
            TopNReport.builder()
                .name("top-dports")
                .clusterKeys(List.of("proto", "dport"))
                .sortKeys(List.of("bytes", "load"))
                .n(10)
                .window(Duration.ofSeconds(10))
                .build(),
            5,
            new SensorIdentity("test", "it-sensor", "demo.pcap"),
            0,
            true);
    new DemoPipeline(settings, rankings::add).run();

    Map<Long, List<ExpectedRanking>> expected =
        ExpectedRanking.readAll().stream()
            .collect(Collectors.groupingBy(ExpectedRanking::windowStartMicros));
    rankings.sort(Comparator.comparingLong(TopNRanking::getWindowStart));

    assertThat(rankings)
        .extracting(TopNRanking::getWindowStart)
        .containsExactlyElementsOf(expected.keySet().stream().sorted().toList());
    for (TopNRanking ranking : rankings) {
      List<ExpectedRanking> want = expected.get(ranking.getWindowStart());
      assertThat(ranking.getWindowEnd() - ranking.getWindowStart()).isEqualTo(10_000_000L);
      assertThat(ranking.getRows()).hasSameSizeAs(want);
      for (int i = 0; i < want.size(); i++) {
        ExpectedRanking row = want.get(i);
        FlowAggregate got = ranking.getRows().get(i);
        String where = "window " + ranking.getWindowStart() + " rank " + row.rank();
        assertThat(got.getKey().get(0).getValue()).as(where + " proto").isEqualTo(row.proto());
        assertThat(got.getKey().get(1).getValue()).as(where + " dport").isEqualTo(row.dport());
        assertThat(AggregateMetrics.pkts(got)).as(where + " pkts").isEqualTo(row.pkts());
        assertThat(AggregateMetrics.bytes(got)).as(where + " bytes").isEqualTo(row.bytes());
        assertThat(got.getTrans()).as(where + " trans").isEqualTo(row.trans());
        assertThat(AggregateMetrics.load(got))
            .as(where + " load")
            .isCloseTo(row.load(), within(Math.max(0.001, row.load() * 1e-9)));
      }
    }
  }
}

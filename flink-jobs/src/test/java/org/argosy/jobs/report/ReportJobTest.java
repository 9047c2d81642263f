package org.argosy.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.query.AggregateMetrics;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.IpAddresses;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportOutput;
import org.argosy.query.report.ReportWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReportJobTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final long SECOND = 1_000_000L;
  private static final long BASE = 1_700_000_000L * SECOND; // a multiple of 10 s and of 1 day

  static FlowRecord record(String saddr, int dport, long stime, long bytes) {
    return FlowRecord.newBuilder()
        .setSite("site")
        .setSensorId("sensor")
        .setIface("eth0")
        .setSeq(0)
        .setStime(stime)
        .setLtime(stime + SECOND / 2)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .setProto(6)
        .setSaddr(IpAddresses.parse(saddr))
        .setDaddr(IpAddresses.parse("10.77.0.20"))
        .setSport(40000)
        .setDport(dport)
        .setSpkts(1)
        .setDpkts(1)
        .setSbytes(bytes)
        .setDbytes(0)
        .build();
  }

  private static ReportDefinition report(
      String name, String filter, String keys, ReportWindow window, int n, String... outputs) {
    ClusterKeySpec clusterKey = ClusterKeySpec.parse(keys);
    EnumSet<ReportOutput> kinds = EnumSet.allOf(ReportOutput.class);
    if (outputs.length > 0) {
      kinds = EnumSet.noneOf(ReportOutput.class);
      for (String output : outputs) {
        kinds.add(ReportOutput.valueOf(output));
      }
    }
    return new ReportDefinition(
        name,
        FlowFilter.parse(filter),
        clusterKey,
        window,
        RankingOrder.parse(List.of("bytes")),
        n,
        ReportDefinition.defaultFields(clusterKey),
        kinds);
  }

  /**
   * A watermark after every record, so that lateness does not depend on timing; exact only at
   * parallelism 1, where no operator merges the watermarks of several inputs that run at their own
   * pace.
   */
  private static WatermarkStrategy<FlowRecord> watermarkPerRecord() {
    return WatermarkStrategy.<FlowRecord>forGenerator(
            context ->
                new WatermarkGenerator<>() {
                  @Override
                  public void onEvent(FlowRecord r, long timestamp, WatermarkOutput output) {
                    output.emitWatermark(new Watermark(timestamp));
                  }

                  @Override
                  public void onPeriodicEmit(WatermarkOutput output) {}
                })
        .withTimestampAssigner((r, previous) -> r.getStime() / 1000);
  }

  /** Runs the reports over {@code records} and collects all three outputs. */
  private record Results(
      List<FlowAggregate> aggregates,
      List<TopNRanking> rankings,
      List<Tuple2<String, FlowRecord>> late) {}

  private static Results run(List<FlowRecord> records, int parallelism, ReportDefinition... reports)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    DataStream<FlowRecord> flows =
        env.fromData(records).setParallelism(1).assignTimestampsAndWatermarks(watermarkPerRecord());
    ReportJob.Outputs outputs = ReportJob.reports(flows, List.of(reports), 4);
    CloseableIterator<FlowAggregate> aggregates =
        outputs.aggregates().map(DataStream::collectAsync).orElse(CloseableIterator.empty());
    CloseableIterator<TopNRanking> rankings =
        outputs.rankings().map(DataStream::collectAsync).orElse(CloseableIterator.empty());
    CloseableIterator<Tuple2<String, FlowRecord>> late = outputs.late().collectAsync();
    env.execute("report job test");
    Results results = new Results(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    aggregates.forEachRemaining(results.aggregates()::add);
    rankings.forEachRemaining(results.rankings()::add);
    late.forEachRemaining(results.late()::add);
    results.rankings().sort(Comparator.comparingLong(TopNRanking::getWindowStart));
    return results;
  }

  private static List<String> keyValues(TopNRanking ranking) {
    return ranking.getRows().stream()
        .map(row -> String.join(" ", row.getKey().stream().map(k -> k.getValue()).toList()))
        .toList();
  }

  @Test
  void everyReportFiltersKeysAndRanksOnItsOwn() throws Exception {
    List<FlowRecord> records =
        List.of(
            record("10.77.0.10", 80, BASE + 1 * SECOND, 1000),
            record("10.77.0.11", 80, BASE + 2 * SECOND, 3000),
            record("10.77.0.10", 443, BASE + 3 * SECOND, 2500),
            record("192.0.2.1", 22, BASE + 4 * SECOND, 9000),
            record("10.77.0.10", 80, BASE + 12 * SECOND, 500));
    Results results =
        run(
            records,
            2,
            report("talkers", "src net 10.77.0.0/24", "saddr", tumbling(10), 10),
            report("web", "dst port 80", "proto dport", tumbling(10), 10, "TOPN"),
            report("ports", "", "proto dport", tumbling(20), 2, "AGGREGATES"));

    Map<String, List<TopNRanking>> byReport = new HashMap<>();
    results
        .rankings()
        .forEach(r -> byReport.computeIfAbsent(r.getReport(), k -> new ArrayList<>()).add(r));
    assertThat(byReport).containsOnlyKeys("talkers", "web");

    List<TopNRanking> talkers = byReport.get("talkers");
    assertThat(talkers).hasSize(2);
    assertThat(keyValues(talkers.get(0))).containsExactly("10.77.0.10", "10.77.0.11");
    assertThat(talkers.get(0).getRows().get(0).getSbytes()).isEqualTo(3500);
    assertThat(talkers.get(0).getRows().get(0).getTrans()).isEqualTo(2);
    assertThat(talkers.get(0).getKeyCount()).isEqualTo(2);
    assertThat(keyValues(talkers.get(1))).containsExactly("10.77.0.10");

    List<TopNRanking> web = byReport.get("web");
    assertThat(web.get(0).getRows())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(AggregateMetrics.bytes(row)).isEqualTo(4000);
              assertThat(row.getTrans()).isEqualTo(2);
            });

    // 'ports' writes aggregates only; 'web' writes none; 'talkers' writes both.
    assertThat(results.aggregates()).extracting(FlowAggregate::getReport).doesNotContain("web");
    List<FlowAggregate> ports =
        results.aggregates().stream().filter(a -> a.getReport().equals("ports")).toList();
    assertThat(ports).hasSize(3);
    assertThat(ports)
        .allSatisfy(a -> assertThat(a.getWindowEnd() - a.getWindowStart()).isEqualTo(20 * SECOND));
    assertThat(ports.stream().mapToLong(AggregateMetrics::bytes).sum()).isEqualTo(16000);
    assertThat(results.late()).isEmpty();
  }

  @Test
  void partialRankingsInParallelGiveTheExactTopNOfManyKeys() throws Exception {
    Random random = new Random(42);
    List<FlowRecord> records = new ArrayList<>();
    Map<Integer, Long> bytesPerPort = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      int port = 1 + random.nextInt(400);
      long bytes = 1 + random.nextInt(100_000);
      records.add(record("10.77.0.10", port, BASE + (i % 10) * SECOND, bytes));
      bytesPerPort.merge(port, bytes, Long::sum);
    }
    Results results = run(records, 2, report("ports", "", "dport", tumbling(10), 15));

    List<String> expected =
        bytesPerPort.entrySet().stream()
            .sorted(
                Map.Entry.<Integer, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(15)
            .map(e -> "6 " + e.getKey())
            .toList();
    assertThat(results.rankings())
        .singleElement()
        .satisfies(
            ranking -> {
              assertThat(ranking.getKeyCount()).isEqualTo(bytesPerPort.size());
              assertThat(keyValues(ranking)).containsExactlyElementsOf(expected);
            });
  }

  @Test
  void slidingWindowsCountARecordInEveryWindowThatHoldsIt() throws Exception {
    ReportWindow sliding =
        new ReportWindow(
            Duration.ofSeconds(20), Duration.ofSeconds(10), ZoneOffset.UTC, Duration.ZERO);
    Results results =
        run(
            List.of(record("10.77.0.10", 80, BASE + 15 * SECOND, 100)),
            1,
            report("sliding", "", "dport", sliding, 5));
    assertThat(results.rankings())
        .extracting(TopNRanking::getWindowStart)
        .containsExactly(BASE, BASE + 10 * SECOND);
  }

  @Test
  void aRecordSpanningABoundaryCountsWholeInTheWindowOfItsStime() throws Exception {
    FlowRecord spanning = record("10.77.0.10", 80, BASE + 9 * SECOND, 700);
    spanning.setLtime(BASE + 13 * SECOND);
    Results results = run(List.of(spanning), 1, report("span", "", "dport", tumbling(10), 5));
    assertThat(results.rankings())
        .singleElement()
        .satisfies(
            ranking -> {
              assertThat(ranking.getWindowStart()).isEqualTo(BASE);
              assertThat(AggregateMetrics.bytes(ranking.getRows().get(0))).isEqualTo(700);
              assertThat(ranking.getRows().get(0).getLtime()).isEqualTo(BASE + 13 * SECOND);
            });
  }

  @Test
  void lateRecordsGoToTheLateOutputNamingTheReport() throws Exception {
    List<FlowRecord> records =
        List.of(
            record("10.77.0.10", 80, BASE + 1 * SECOND, 100),
            record("10.77.0.10", 80, BASE + 25 * SECOND, 100),
            record("10.77.0.10", 443, BASE + 2 * SECOND, 999)); // window [0, 10s) closed at 25 s
    Results results = run(records, 1, report("strict", "", "dport", tumbling(10), 5));
    assertThat(results.late())
        .singleElement()
        .satisfies(
            late -> {
              assertThat(late.f0).isEqualTo("strict");
              assertThat(late.f1.getDport()).isEqualTo(443);
            });
    assertThat(keyValues(results.rankings().get(0))).containsExactly("6 80");
  }

  @Test
  void withinTheAllowedLatenessALateRecordUpdatesTheRanking() throws Exception {
    ReportWindow lenient =
        new ReportWindow(
            Duration.ofSeconds(10), Duration.ofSeconds(10), ZoneOffset.UTC, Duration.ofSeconds(30));
    List<FlowRecord> records =
        List.of(
            record("10.77.0.10", 80, BASE + 1 * SECOND, 100),
            record("10.77.0.10", 80, BASE + 25 * SECOND, 100),
            record("10.77.0.10", 443, BASE + 2 * SECOND, 999),
            record("10.77.0.10", 80, BASE + 3 * SECOND, 2000),
            record("10.77.0.10", 22, BASE + 4 * SECOND, 5), // ... until the watermark is past 40 s:
            record("10.77.0.10", 80, BASE + 45 * SECOND, 1),
            record("10.77.0.10", 22, BASE + 5 * SECOND, 5));
    Results results = run(records, 1, report("lenient", "", "dport", lenient, 5));

    List<TopNRanking> first =
        results.rankings().stream().filter(r -> r.getWindowStart() == BASE).toList();
    assertThat(first)
        .extracting(ReportJobTest::keyValues)
        .containsExactly(
            List.of("6 80"),
            List.of("6 443", "6 80"),
            List.of("6 80", "6 443"),
            List.of("6 80", "6 443", "6 22"));
    assertThat(first.get(3).getKeyCount()).isEqualTo(3);
    assertThat(results.late())
        .singleElement()
        .satisfies(late -> assertThat(late.f1.getStime()).isEqualTo(BASE + 5 * SECOND));
  }

  private static ReportWindow tumbling(int seconds) {
    return ReportWindow.tumbling(Duration.ofSeconds(seconds));
  }
}

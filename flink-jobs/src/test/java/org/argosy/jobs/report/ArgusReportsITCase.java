package org.argosy.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.query.AggregateMetrics;
import org.argosy.query.ProtocolNames;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped reports (the daily reports and the two-host questions of argus-semantics.md) through
 * the report job over the bundled capture, for a day window holding all of it, against Argus's
 * {@code racluster | rasort | head} on Argus's own metering of the same capture: same keys, same
 * packets, bytes and trans, same order. Intended differences are excluded as
 * reports/argus-differences.md says. .ci/run installs argus; without it the test is skipped.
 */
class ArgusReportsITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  /** One ranked line as both sides print it: key values, then pkts bytes trans. */
  private record Row(List<String> key, long pkts, long bytes, long trans) {
    String counts() {
      return String.join(" ", key) + " pkts=" + pkts + " bytes=" + bytes;
    }
  }

  @Test
  void shippedReportsMatchRaclusterAndRasort(@TempDir Path work) throws Exception {
    Assumptions.assumeTrue(ArgusTools.installed(), "argus is not installed");
    Path root = ArgusTools.projectRoot();
    Map<String, String> exclusions = exclusions(root.resolve("reports/argus-differences.md"));
    List<ReportDefinition> reports = new ArrayList<>();
    for (String file : List.of("daily-reports.yaml", "two-hosts.yaml")) {
      for (ReportDefinition report : ReportFile.load(root.resolve("reports").resolve(file))) {
        reports.add(withExclusion(report, exclusions.get(report.name())));
      }
    }
    Path argusFile = ArgusTools.argus(work, root.resolve("samples/demo.pcap"));

    Map<String, List<Row>> ours = ourRankings(root.resolve("samples/demo.pcap"), reports);
    for (ReportDefinition report : reports) {
      List<Row> argus = argusRanking(work, argusFile, report);
      List<Row> streamed = ours.getOrDefault(report.name(), List.of());
      String what = "report " + report.name() + " (filter: " + report.filter() + ")";
      assertThat(streamed.stream().map(Row::counts).toList())
          .as(what)
          .containsExactlyElementsOf(argus.stream().map(Row::counts).toList());
      Map<List<String>, Long> lateCuts = argusLateCuts(work, argusFile, report);
      for (int i = 0; i < argus.size(); i++) {
        long want = argus.get(i).trans();
        assertThat(streamed.get(i).trans())
            .as("%s, %s: trans", what, argus.get(i).counts())
            .isBetween(want, want + lateCuts.getOrDefault(argus.get(i).key(), 0L));
      }
    }
    assertThat(reports.stream().filter(r -> !ours.getOrDefault(r.name(), List.of()).isEmpty()))
        .as("reports with rows")
        .hasSizeGreaterThanOrEqualTo(4);
  }

  private static ReportDefinition withExclusion(ReportDefinition report, String exclude) {
    if (exclude == null) {
      return report;
    }
    String filter =
        report.filter().isAll()
            ? "not (" + exclude + ")"
            : "(" + report.filter() + ") and not (" + exclude + ")";
    return new ReportDefinition(
        report.name(),
        FlowFilter.parse(filter),
        report.clusterKey(),
        report.window(),
        report.order(),
        report.n(),
        report.fields(),
        report.outputs());
  }

  /** The sensor on the capture, then every report in one job; the last ranking per report. */
  private static Map<String, List<Row>> ourRankings(Path capture, List<ReportDefinition> reports)
      throws Exception {
    List<FlowRecord> records = ArgusTools.meterWithTheSensor(capture);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    Map<String, List<Row>> rankings = new HashMap<>();
    try (CloseableIterator<TopNRanking> out =
        ReportJob.reports(
                env.fromData(records)
                    .assignTimestampsAndWatermarks(
                        ReportJob.watermarks(Duration.ofMinutes(1), Duration.ofSeconds(5))),
                reports,
                4)
            .rankings()
            .orElseThrow()
            .executeAndCollect()) {
      out.forEachRemaining(
          ranking -> {
            assertThat(rankings).as("one window per report").doesNotContainKey(ranking.getReport());
            rankings.put(
                ranking.getReport(),
                ranking.getRows().stream().map(ArgusReportsITCase::row).toList());
          });
    }
    return rankings;
  }

  private static Row row(FlowAggregate aggregate) {
    List<String> key = new ArrayList<>();
    for (KeyField field : aggregate.getKey()) {
      key.add(
          field.getName().equals("proto")
              ? ProtocolNames.name(Integer.parseInt(field.getValue()))
              : field.getValue());
    }
    return new Row(
        key,
        AggregateMetrics.pkts(aggregate),
        AggregateMetrics.bytes(aggregate),
        aggregate.getTrans());
  }

  /**
   * {@code racluster -m KEYS -w - - FILTER | rasort -m SORT -s KEYS pkts bytes trans | head -n N}.
   */
  private static List<Row> argusRanking(Path work, Path argusFile, ReportDefinition report)
      throws Exception {
    Path clustered = work.resolve(report.name() + ".argus");
    List<String> racluster = new ArrayList<>(List.of("racluster", "-r", argusFile.toString()));
    racluster.add("-m");
    racluster.addAll(report.clusterKey().fieldNames());
    racluster.addAll(List.of("-w", clustered.toString()));
    if (!report.filter().isAll()) {
      racluster.addAll(List.of("-", report.filter().toString()));
    }
    if (!ArgusTools.racluster(work, clustered, racluster)) {
      return List.of();
    }

    List<String> rasort = new ArrayList<>(List.of("rasort", "-r", clustered.toString(), "-m"));
    rasort.addAll(report.order().keyNames());
    rasort.addAll(List.of("-n", "-c", ",", "-s"));
    rasort.addAll(report.clusterKey().fieldNames());
    rasort.addAll(List.of("pkts", "bytes", "trans"));
    Path csv = work.resolve(report.name() + ".csv");
    ArgusTools.run(work, csv, rasort.toArray(String[]::new));
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    int keys = report.clusterKey().fieldNames().size();
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      rows.add(
          new Row(
              List.of(f).subList(0, keys).stream().map(String::strip).toList(),
              Long.parseLong(f[keys].strip()),
              Long.parseLong(f[keys + 1].strip()),
              Long.parseLong(f[keys + 2].strip())));
    }
    return rows.subList(0, Math.min(report.n(), rows.size()));
  }

  /**
   * Per key, the status records Argus did not cut where the sensor does: the sensor cuts exactly at
   * every 5 s epoch boundary, Argus's status timer a few milliseconds later, so a flow whose
   * packets straddle a boundary by less than that is one Argus record and two of ours. Counted per
   * flow from Argus's records as (5 s bins its span touches) - (its records), where positive.
   */
  private static Map<List<String>, Long> argusLateCuts(
      Path work, Path argusFile, ReportDefinition report) throws Exception {
    List<String> racluster = new ArrayList<>(List.of("racluster", "-r", argusFile.toString()));
    racluster.addAll(List.of("-n", "-u", "-c", ",", "-s"));
    racluster.addAll(report.clusterKey().fieldNames());
    racluster.addAll(List.of("trans", "stime", "ltime"));
    if (!report.filter().isAll()) {
      racluster.addAll(List.of("-", report.filter().toString()));
    }
    Path csv = work.resolve(report.name() + "-flows.csv");
    if (!ArgusTools.racluster(work, csv, racluster)) {
      return Map.of();
    }
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    int keys = report.clusterKey().fieldNames().size();
    Map<List<String>, Long> cuts = new HashMap<>();
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.split(",", -1);
      long trans = Long.parseLong(f[keys].strip());
      long bins =
          (long) Math.floor(Double.parseDouble(f[keys + 2]) / ArgusTools.STATUS_SECONDS)
              - (long) Math.floor(Double.parseDouble(f[keys + 1]) / ArgusTools.STATUS_SECONDS)
              + 1;
      if (bins > trans) {
        cuts.merge(
            List.of(f).subList(0, keys).stream().map(String::strip).toList(),
            bins - trans,
            Long::sum);
      }
    }
    return cuts;
  }

  /** The table of reports/argus-differences.md: report name to the records to leave out. */
  private static Map<String, String> exclusions(Path document) throws IOException {
    Map<String, String> exclusions = new HashMap<>();
    for (String line : Files.readAllLines(document, StandardCharsets.UTF_8)) {
      String[] cells = line.split("\\|");
      if (cells.length >= 4
          && !cells[1].isBlank()
          && !cells[1].contains("report")
          && !cells[1].contains("---")) {
        exclusions.put(cells[1].strip(), cells[2].strip());
      }
    }
    return exclusions;
  }
}

package org.argosy.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.report.ArgusTools;
import org.argosy.jobs.report.ReportJob;
import org.argosy.query.AggregateMetrics;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daily reports over the bundled capture, written to a real PostgreSQL server as well as
 * collected: the tables hold exactly the rankings and aggregates the job produced, and running the
 * same job again (a replay after a failure) changes nothing.
 */
class HistoryStoreITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static PostgresServer postgres;
  private static List<FlowRecord> records;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
    records = ArgusTools.meterWithTheSensor(ArgusTools.projectRoot().resolve("samples/demo.pcap"));
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  private static HistoryStore store() {
    return HistoryStore.builder()
        .url(postgres.url())
        .user(PostgresServer.USER)
        .password(PostgresServer.PASSWORD)
        .batching(100, 200)
        .build();
  }

  /** Runs the daily reports into the store; returns the rankings and aggregates it produced. */
  private static Results runReports() throws Exception {
    List<ReportDefinition> reports =
        ReportFile.load(ArgusTools.projectRoot().resolve("reports/daily-reports.yaml"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    DataStream<FlowRecord> flows =
        env.fromData(records)
            .assignTimestampsAndWatermarks(
                ReportJob.watermarks(Duration.ofMinutes(1), Duration.ofSeconds(5)));
    ReportJob.Outputs outputs = ReportJob.reports(flows, reports, 4);
    store().attach(outputs);
    CloseableIterator<TopNRanking> rankings = outputs.rankings().orElseThrow().collectAsync();
    CloseableIterator<FlowAggregate> aggregates = outputs.aggregates().orElseThrow().collectAsync();
    env.execute("history store");
    Results results = new Results(new ArrayList<>(), new ArrayList<>());
    rankings.forEachRemaining(results.rankings()::add);
    aggregates.forEachRemaining(results.aggregates()::add);
    return results;
  }

  private record Results(List<TopNRanking> rankings, List<FlowAggregate> aggregates) {}

  private static List<String> query(String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(result.getString(i));
        }
        rows.add(String.join(" | ", row));
      }
    }
    return rows;
  }

  @Test
  void theTablesHoldWhatTheJobProducedAndAReplayChangesNothing() throws Exception {
    store().createTables();
    Results results = runReports();

    List<String> expectedRankings = new ArrayList<>();
    for (TopNRanking ranking : results.rankings()) {
      for (int i = 0; i < ranking.getRows().size(); i++) {
        FlowAggregate row = ranking.getRows().get(i);
        expectedRankings.add(
            ranking.getReport()
                + " | "
                + (i + 1)
                + " | "
                + row.getKey().stream()
                    .map(field -> field.getName() + "=" + field.getValue())
                    .sorted()
                    .collect(Collectors.joining(" "))
                + " | "
                + AggregateMetrics.bytes(row)
                + " | "
                + row.getTrans());
      }
    }
    String rankingQuery =
        "SELECT report, rank, (SELECT string_agg(k || '=' || v, ' ' ORDER BY k)"
            + " FROM jsonb_each_text(key) AS field(k, v)), bytes, trans FROM flow_rankings";
    assertThat(expectedRankings).isNotEmpty();
    assertThat(query(rankingQuery)).containsExactlyInAnyOrderElementsOf(expectedRankings);

    // top-talkers in the store, asked as people would: who sent the most?
    assertThat(
            query(
                "SELECT key->>'saddr', bytes FROM flow_rankings"
                    + " WHERE report = 'top-talkers' AND rank = 1"))
        .containsExactly("10.77.0.11 | 5262173");
    assertThat(query("SELECT count(*), sum(sbytes + dbytes) FROM flow_aggregates"))
        .containsExactly(
            results.aggregates().size()
                + " | "
                + results.aggregates().stream().mapToLong(AggregateMetrics::bytes).sum());

    store().createTables(); // idempotent, as every start of the job runs it
    runReports();
    assertThat(query(rankingQuery)).containsExactlyInAnyOrderElementsOf(expectedRankings);
    assertThat(query("SELECT count(*) FROM flow_aggregates"))
        .containsExactly(Integer.toString(results.aggregates().size()));
  }
}

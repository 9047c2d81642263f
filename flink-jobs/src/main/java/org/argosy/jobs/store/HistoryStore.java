package org.argosy.jobs.store;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.util.Collector;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.report.ReportJob;
import org.postgresql.Driver;

/**
 * The history people query: aggregates and ranking rows of every report and window in PostgreSQL,
 * written through Flink's JDBC sink.
 *
 * <pre>
 * flow_aggregates(report, window_start, window_end, key jsonb, spkts, dpkts, sbytes, dbytes,
 *                 sappbytes, dappbytes, trans, stime, ltime)    primary key (report, window_start, key)
 * flow_rankings  (report, window_start, window_end, rank, key jsonb, bytes, pkts, trans, load,
 *                 rate, dur, key_count)                        primary key (report, window_start, rank)
 * </pre>
 *
 * Every write is an upsert on the primary key, so the at-least-once sink gives exactly-once
 * results: a batch replayed after a restart, or a window updated by late records, overwrites the
 * same rows. Times are {@code timestamptz}; {@code key} is the cluster key as a JSON object of
 * field name to value ({@code key->>'dport' = '443'}). Built and validated by {@link #builder()}.
 */
public final class HistoryStore implements Serializable {

  private static final long serialVersionUID = 1L;

  static final String CREATE_TABLES =
      """
      CREATE TABLE IF NOT EXISTS flow_aggregates (
        report text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        key jsonb NOT NULL,
        spkts bigint NOT NULL,
        dpkts bigint NOT NULL,
        sbytes bigint NOT NULL,
        dbytes bigint NOT NULL,
        sappbytes bigint NOT NULL,
        dappbytes bigint NOT NULL,
        trans bigint NOT NULL,
        stime timestamptz NOT NULL,
        ltime timestamptz NOT NULL,
        PRIMARY KEY (report, window_start, key)
      );
      CREATE TABLE IF NOT EXISTS flow_rankings (
        report text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        rank integer NOT NULL,
        key jsonb NOT NULL,
        bytes bigint NOT NULL,
        pkts bigint NOT NULL,
        trans bigint NOT NULL,
        load double precision NOT NULL,
        rate double precision NOT NULL,
        dur double precision NOT NULL,
        key_count bigint NOT NULL,
        PRIMARY KEY (report, window_start, rank)
      );
      """;

  private final String url;
  private final String user;
  private final String password;
  private final int batchSize;
  private final long batchIntervalMillis;

  private HistoryStore(Builder builder) {
    this.url = builder.url;
    this.user = builder.user;
    this.password = builder.password;
    this.batchSize = builder.batchSize;
    this.batchIntervalMillis = builder.batchIntervalMillis;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the tables when they do not exist yet; run before the job starts, so that a wrong URL
   * or password fails at once with the database's message rather than in a restarting job.
   */
  public void createTables() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(CREATE_TABLES);
    }
  }

  /**
   * A connection through the driver class itself, not DriverManager: in a Flink JobManager every
   * submission has a class loader of its own, and DriverManager offers only the driver registered
   * by the first one, which a later submission's class loader may not use ("No suitable driver").
   */
  private Connection connect() throws SQLException {
    Properties login = new Properties();
    login.setProperty("user", user);
    login.setProperty("password", password);
    Connection connection = new Driver().connect(url, login);
    if (connection == null) {
      throw new SQLException("not a PostgreSQL JDBC URL: " + url);
    }
    return connection;
  }

  /** Adds the store's sinks for whatever the reports produce. */
  public void attach(ReportJob.Outputs outputs) {
    outputs
        .aggregates()
        .ifPresent(
            aggregates ->
                aggregates.sinkTo(aggregateSink()).uid("store-aggregates").name("flow_aggregates"));
    outputs
        .rankings()
        .ifPresent(
            rankings ->
                rankings
                    .flatMap(
                        (TopNRanking ranking, Collector<RankingRow> out) ->
                            RankingRow.of(ranking).forEach(out::collect))
                    .returns(TypeInformation.of(RankingRow.class))
                    .uid("store-ranking-rows")
                    .name("ranking rows")
                    .sinkTo(rankingSink())
                    .uid("store-rankings")
                    .name("flow_rankings"));
  }

  /** Upserts each aggregate into {@code flow_aggregates}. */
  public Sink<FlowAggregate> aggregateSink() {
    return JdbcSink.<FlowAggregate>builder()
        .withQueryStatement(StoreStatements.UPSERT_AGGREGATE, StoreStatements::bindAggregate)
        .withExecutionOptions(executionOptions())
        .buildAtLeastOnce(connectionOptions());
  }

  /** Upserts each ranking row into {@code flow_rankings}. */
  public Sink<RankingRow> rankingSink() {
    return JdbcSink.<RankingRow>builder()
        .withQueryStatement(StoreStatements.UPSERT_RANKING_ROW, StoreStatements::bindRankingRow)
        .withExecutionOptions(executionOptions())
        .buildAtLeastOnce(connectionOptions());
  }

  private JdbcExecutionOptions executionOptions() {
    return JdbcExecutionOptions.builder()
        .withBatchSize(batchSize)
        .withBatchIntervalMs(batchIntervalMillis)
        .withMaxRetries(3)
        .build();
  }

  private JdbcConnectionOptions connectionOptions() {
    return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
        .withUrl(url)
        .withDriverName(Driver.class.getName())
        .withUsername(user)
        .withPassword(password)
        .build();
  }

  @Override
  public String toString() {
    return "HistoryStore{" + url + " as " + user + "}"; // never the password
  }

  /** Collects the store's settings; {@link #build()} rejects what cannot work. */
  public static final class Builder {
    private String url;
    private String user;
    private String password = "";
    private int batchSize = 1000;
    private long batchIntervalMillis = 1000;

    private Builder() {}

    /** A PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/argosy. */
    public Builder url(String value) {
      this.url = Objects.requireNonNull(value);
      return this;
    }

    public Builder user(String value) {
      this.user = Objects.requireNonNull(value);
      return this;
    }

    public Builder password(String value) {
      this.password = Objects.requireNonNull(value);
      return this;
    }

    /** Rows per batch, and the longest a row waits for its batch. */
    public Builder batching(int size, long intervalMillis) {
      this.batchSize = size;
      this.batchIntervalMillis = intervalMillis;
      return this;
    }

    public HistoryStore build() {
      if (url == null || !url.startsWith("jdbc:postgresql://")) {
        throw new IllegalArgumentException(
            "store URL '" + url + "' is not jdbc:postgresql://HOST:PORT/DATABASE");
      }
      if (user == null || user.isBlank()) {
        throw new IllegalArgumentException("the store needs a user");
      }
      if (batchSize < 1 || batchIntervalMillis < 1) {
        throw new IllegalArgumentException("store batches need a positive size and interval");
      }
      return new HistoryStore(this);
    }
  }
}

package org.argosy.jobs.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.query.AggregateMetrics;
import org.argosy.query.FlowJson;

/** The store's upserts and how a record fills their parameters. */
final class StoreStatements {

  static final String UPSERT_AGGREGATE =
      """
      INSERT INTO flow_aggregates (report, window_start, window_end, key, spkts, dpkts, sbytes,
        dbytes, sappbytes, dappbytes, trans, stime, ltime)
      VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (report, window_start, key) DO UPDATE SET window_end = EXCLUDED.window_end,
        spkts = EXCLUDED.spkts, dpkts = EXCLUDED.dpkts, sbytes = EXCLUDED.sbytes,
        dbytes = EXCLUDED.dbytes, sappbytes = EXCLUDED.sappbytes, dappbytes = EXCLUDED.dappbytes,
        trans = EXCLUDED.trans, stime = EXCLUDED.stime, ltime = EXCLUDED.ltime
      """;

  static final String UPSERT_RANKING_ROW =
      """
      INSERT INTO flow_rankings (report, window_start, window_end, rank, key, bytes, pkts, trans,
        load, rate, dur, key_count)
      VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (report, window_start, rank) DO UPDATE SET window_end = EXCLUDED.window_end,
        key = EXCLUDED.key, bytes = EXCLUDED.bytes, pkts = EXCLUDED.pkts, trans = EXCLUDED.trans,
        load = EXCLUDED.load, rate = EXCLUDED.rate, dur = EXCLUDED.dur,
        key_count = EXCLUDED.key_count
      """;

  private StoreStatements() {}

  static void bindAggregate(PreparedStatement statement, FlowAggregate aggregate)
      throws SQLException {
    statement.setString(1, aggregate.getReport());
    statement.setObject(2, time(aggregate.getWindowStart()));
    statement.setObject(3, time(aggregate.getWindowEnd()));
    statement.setString(4, keyJson(aggregate.getKey()));
    statement.setLong(5, aggregate.getSpkts());
    statement.setLong(6, aggregate.getDpkts());
    statement.setLong(7, aggregate.getSbytes());
    statement.setLong(8, aggregate.getDbytes());
    statement.setLong(9, aggregate.getSappbytes());
    statement.setLong(10, aggregate.getDappbytes());
    statement.setLong(11, aggregate.getTrans());
    statement.setObject(12, time(aggregate.getStime()));
    statement.setObject(13, time(aggregate.getLtime()));
  }

  static void bindRankingRow(PreparedStatement statement, RankingRow ranked) throws SQLException {
    FlowAggregate row = ranked.row();
    statement.setString(1, ranked.report());
    statement.setObject(2, time(ranked.windowStart()));
    statement.setObject(3, time(ranked.windowEnd()));
    statement.setInt(4, ranked.rank());
    statement.setString(5, keyJson(row.getKey()));
    statement.setLong(6, AggregateMetrics.bytes(row));
    statement.setLong(7, AggregateMetrics.pkts(row));
    statement.setLong(8, row.getTrans());
    statement.setDouble(9, AggregateMetrics.load(row));
    statement.setDouble(10, AggregateMetrics.rate(row));
    statement.setDouble(11, AggregateMetrics.dur(row));
    statement.setLong(12, ranked.keyCount());
  }

  /** The cluster key as a JSON object, fields in key order. */
  static String keyJson(List<KeyField> key) {
    ObjectNode json = FlowJson.object();
    FlowJson.key(json, key);
    return FlowJson.text(json);
  }

  private static OffsetDateTime time(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }
}

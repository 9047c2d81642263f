package org.argosy.jobs.store;

import java.util.ArrayList;
import java.util.List;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.TopNRanking;

/**
 * One row of a ranking as the store keeps it: the ranking's report and window, the row's rank (from
 * 1) and aggregate, and how many keys the window had.
 */
public record RankingRow(
    String report, long windowStart, long windowEnd, int rank, FlowAggregate row, long keyCount) {

  /** The rows of a ranking, best first. */
  public static List<RankingRow> of(TopNRanking ranking) {
    List<RankingRow> rows = new ArrayList<>(ranking.getRows().size());
    int rank = 1;
    for (FlowAggregate row : ranking.getRows()) {
      rows.add(
          new RankingRow(
              ranking.getReport(),
              ranking.getWindowStart(),
              ranking.getWindowEnd(),
              rank++,
              row,
              ranking.getKeyCount()));
    }
    return rows;
  }
}

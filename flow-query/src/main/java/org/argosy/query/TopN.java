package org.argosy.query;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.UnaryOperator;
import org.argosy.avro.FlowAggregate;

/** Keeps the best {@code n} aggregates of a stream in O(n) memory. */
public final class TopN {

  private final int n;
  private final RankingOrder order;
  private final PriorityQueue<FlowAggregate> worstFirst;
  private long offered;

  public TopN(int n, RankingOrder order) {
    if (n < 1) {
      throw new InvalidQueryException("N must be at least 1, got " + n);
    }
    this.n = n;
    this.order = order;
    this.worstFirst = new PriorityQueue<>(n + 1, order.reversed());
  }

  public void offer(FlowAggregate candidate) {
    offered++;
    worstFirst.add(candidate);
    if (worstFirst.size() > n) {
      worstFirst.poll();
    }
  }

  /**
   * As {@link #offer(FlowAggregate)}, but keeps {@code copy} of the candidate, made only when it is
   * among the best so far: for callers whose candidate object is reused, most of which are not
   * kept.
   */
  public void offer(FlowAggregate candidate, UnaryOperator<FlowAggregate> copy) {
    if (worstFirst.size() < n || order.compare(candidate, worstFirst.peek()) < 0) {
      offer(copy.apply(candidate));
    } else {
      offered++;
    }
  }

  /** How many aggregates were offered. */
  public long offered() {
    return offered;
  }

  /** The kept aggregates, best first. */
  public List<FlowAggregate> best() {
    List<FlowAggregate> rows = new ArrayList<>(worstFirst);
    rows.sort(order);
    return rows;
  }
}

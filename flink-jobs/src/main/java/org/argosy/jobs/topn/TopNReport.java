package org.argosy.jobs.topn;

import java.io.Serializable;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.RankingOrder;
import org.argosy.query.filter.FlowFilter;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportOutput;
import org.argosy.query.report.ReportWindow;

/**
 * One ranking report: records grouped by cluster keys in tumbling event-time windows aligned to the
 * epoch, ranked by sort keys, the best {@code n} kept. Built and validated by {@link #builder()}.
 */
public final class TopNReport implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final ClusterKeySpec clusterKey;
  private final RankingOrder order;
  private final int n;
  private final Duration window;

  private TopNReport(Builder b) {
    this.name = b.name;
    this.clusterKey = ClusterKeySpec.parse(b.clusterKeys);
    this.order = RankingOrder.parse(b.sortKeys);
    this.n = b.n;
    this.window = b.window;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String name() {
    return name;
  }

  public ClusterKeySpec clusterKey() {
    return clusterKey;
  }

  public RankingOrder order() {
    return order;
  }

  public int n() {
    return n;
  }

  public Duration window() {
    return window;
  }

  /** The same report as a report-file entry: every record, rankings only. */
  public ReportDefinition toDefinition() {
    return new ReportDefinition(
        name,
        FlowFilter.all(),
        clusterKey,
        ReportWindow.tumbling(window),
        order,
        n,
        ReportDefinition.defaultFields(clusterKey),
        EnumSet.of(ReportOutput.TOPN));
  }

  /** Collects the settings; {@link #build()} rejects what cannot work. */
  public static final class Builder {
    private String name = "top-dports";
    private List<String> clusterKeys = List.of("proto", "dport");
    private List<String> sortKeys = List.of("bytes", "load");
    private int n = 10;
    private Duration window = Duration.ofSeconds(10);

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name);
      return this;
    }

    public Builder clusterKeys(List<String> clusterKeys) {
      this.clusterKeys = List.copyOf(clusterKeys);
      return this;
    }

    public Builder sortKeys(List<String> sortKeys) {
      this.sortKeys = List.copyOf(sortKeys);
      return this;
    }

    public Builder n(int n) {
      this.n = n;
      return this;
    }

    public Builder window(Duration window) {
      this.window = Objects.requireNonNull(window);
      return this;
    }

    public TopNReport build() {
      if (name.isBlank()) {
        throw new IllegalArgumentException("report name must not be blank");
      }
      if (n < 1) {
        throw new IllegalArgumentException("report " + name + ": n must be at least 1, got " + n);
      }
      if (window.toMillis() < 1000 || window.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException(
            "report " + name + ": window must be a whole number of seconds, got " + window);
      }
      return new TopNReport(this);
    }
  }
}

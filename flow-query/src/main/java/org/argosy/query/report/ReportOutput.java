package org.argosy.query.report;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where a report's results go: its windowed aggregates, its top-N rankings, or both. */
public enum ReportOutput {
  /**
   * Every aggregate of every window, as {@code FlowAggregate}, to topic {@code flow-aggregates}.
   */
  AGGREGATES("aggregates"),
  /** The top N of every window, as {@code TopNRanking}, to topic {@code flow-topn}. */
  TOPN("topn");

  private final String word;

  ReportOutput(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  static ReportOutput byWord(String word) {
    for (ReportOutput output : values()) {
      if (output.word.equals(word)) {
        return output;
      }
    }
    throw new IllegalArgumentException(
        "unknown output '"
            + word
            + "'; known outputs: "
            + Arrays.stream(values()).map(ReportOutput::word).collect(Collectors.joining(" ")));
  }
}

package org.argosy.jobs.report;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * How the report job runs, beside the reports themselves: event-time tolerance, the spread of the
 * ranking stage, checkpoints (which commit the exactly-once Kafka transactions) and the state
 * backend. Built and validated by {@link #builder()}.
 */
public record ReportJobOptions(
    Duration maxOutOfOrderness,
    Duration sourceIdleness,
    int rankBuckets,
    Duration checkpointInterval,
    StateBackend stateBackend,
    String checkpointDirectory) {

  /**
   * Where keyed state lives: on the heap (default), or in RocksDB on local disk for big key spaces.
   */
  public enum StateBackend {
    HEAP("hashmap"),
    ROCKSDB("rocksdb");

    private final String flinkName;

    StateBackend(String flinkName) {
      this.flinkName = flinkName;
    }

    public static StateBackend parse(String text) {
      return switch (text.toLowerCase(java.util.Locale.ROOT)) {
        case "heap", "hashmap" -> HEAP;
        case "rocksdb" -> ROCKSDB;
        default ->
            throw new IllegalArgumentException(
                "unknown state backend '" + text + "'; use heap or rocksdb");
      };
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Sets the checkpoint interval, state backend and checkpoint directory in {@code conf}. */
  public Configuration applyTo(Configuration conf) {
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    conf.set(StateBackendOptions.STATE_BACKEND, stateBackend.flinkName);
    if (checkpointDirectory != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory);
    }
    return conf;
  }

  /** Collects the options; {@link #build()} rejects what cannot work. */
  public static final class Builder {
    private Duration maxOutOfOrderness = Duration.ofSeconds(5);
    private Duration sourceIdleness = Duration.ofSeconds(5);
    private int rankBuckets = 16;
    private Duration checkpointInterval = Duration.ofSeconds(10);
    private StateBackend stateBackend = StateBackend.HEAP;
    private String checkpointDirectory;

    /** How far behind the newest record a record may arrive and still be on time. */
    public Builder maxOutOfOrderness(Duration value) {
      this.maxOutOfOrderness = Objects.requireNonNull(value);
      return this;
    }

    /** Partitions silent for this long stop holding the watermark back. */
    public Builder sourceIdleness(Duration value) {
      this.sourceIdleness = Objects.requireNonNull(value);
      return this;
    }

    /** Partial rankings per window and report, ranked in parallel before the merge. */
    public Builder rankBuckets(int value) {
      this.rankBuckets = value;
      return this;
    }

    /** Results become visible to read_committed consumers at each checkpoint. */
    public Builder checkpointInterval(Duration value) {
      this.checkpointInterval = Objects.requireNonNull(value);
      return this;
    }

    public Builder stateBackend(StateBackend value) {
      this.stateBackend = Objects.requireNonNull(value);
      return this;
    }

    /** A URI such as file:///var/lib/argosy/checkpoints; null keeps checkpoints in memory. */
    public Builder checkpointDirectory(String value) {
      this.checkpointDirectory = value;
      return this;
    }

    public ReportJobOptions build() {
      if (maxOutOfOrderness.isNegative()) {
        throw new IllegalArgumentException("max out-of-orderness must not be negative");
      }
      if (sourceIdleness.isNegative() || sourceIdleness.isZero()) {
        throw new IllegalArgumentException("source idleness must be positive");
      }
      if (rankBuckets < 1 || rankBuckets > 4096) {
        throw new IllegalArgumentException("rank buckets must be 1..4096, got " + rankBuckets);
      }
      if (checkpointInterval.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException(
            "checkpoint interval must be at least 100ms: exactly-once output commits at checkpoints");
      }
      return new ReportJobOptions(
          maxOutOfOrderness,
          sourceIdleness,
          rankBuckets,
          checkpointInterval,
          stateBackend,
          checkpointDirectory);
    }
  }
}

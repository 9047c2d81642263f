package org.argosy.jobs.report;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;

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
    String checkpointDirectory,
    Duration quietAdvance,
    Duration maxWatermarkDrift,
    Duration sensorTimeout,
    MemorySize managedMemory) {

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

  /** How long a silent sensor holds its partitions' event time back, by default. */
  public static final int DEFAULT_SENSOR_TIMEOUT_SECONDS = 120;

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Managed memory of a TaskManager in this process when state is in RocksDB and no size is given:
   * each slot's RocksDB instances share their slot's part as one block cache and write buffer
   * budget. Flink's local default (128 MiB; 80 MiB in a test MiniCluster) leaves each slot a block
   * cache of a few tens of MB, and a window of 10M keys has ten times the index partitions and data
   * blocks of one of 1M to keep there (BENCHMARKS.md).
   */
  public static final MemorySize LOCAL_ROCKSDB_MANAGED_MEMORY = MemorySize.ofMebiBytes(512);

  /**
   * Sets the checkpoint interval, state backend and checkpoint directory in {@code conf}, and for
   * RocksDB partitioned index and filter blocks and incremental checkpoints.
   */
  public Configuration applyTo(Configuration conf) {
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    conf.set(StateBackendOptions.STATE_BACKEND, stateBackend.flinkName);
    if (stateBackend == StateBackend.ROCKSDB) {
      // Every record of a new key is a RocksDB read that misses. With one index block per SST
      // file, growing with the file, those blocks did not stay in the block cache Flink carves
      // from a slot's managed memory (35 MB in 64 shards in a small local cluster), so each read
      // loaded and decompressed them again: 70 % of the window operator's CPU, 5 k records/s at
      // 1M keys. Partitioned, an index is a small pinned top level over 4 KB partitions that the
      // cache keeps.
      conf.set(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS, true);
      // A full checkpoint copies every SST file of the state each time; incremental ones copy
      // the files made since the last. With 50 MB of state and checkpoints every 2 s that was
      // half the time of a window of 1M keys (38 s against 21 s).
      conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    }
    if (checkpointDirectory != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory);
    }
    return conf;
  }

  /**
   * Sets what {@link #applyTo} sets, and the memory of the TaskManager, in the configuration of a
   * Flink cluster that this process starts (not one the job is submitted to: that cluster's
   * configuration decides).
   */
  public Configuration applyToLocalCluster(Configuration conf) {
    applyTo(conf);
    MemorySize managed =
        managedMemory != null
            ? managedMemory
            : stateBackend == StateBackend.ROCKSDB ? LOCAL_ROCKSDB_MANAGED_MEMORY : null;
    if (managed != null) {
      conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managed);
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
    private Duration quietAdvance;
    private Duration maxWatermarkDrift;
    private Duration sensorTimeout = Duration.ofSeconds(DEFAULT_SENSOR_TIMEOUT_SECONDS);
    private MemorySize managedMemory;

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

    /**
     * After this much silence on a partition, its event time follows the wall clock (see {@code
     * QuietTimeWatermarks}); null (the default) waits for records to close windows.
     */
    public Builder quietAdvance(Duration value) {
      this.quietAdvance = value;
      return this;
    }

    /**
     * Watermark alignment: a Kafka partition whose watermark runs more than this ahead of the
     * slowest is paused until the others catch up (a site far ahead would otherwise push windows
     * closed while another site's records are still on their way, making them late). Null (the
     * default) reads every partition as fast as it comes.
     */
    public Builder maxWatermarkDrift(Duration value) {
      this.maxWatermarkDrift = value;
      return this;
    }

    /**
     * A sensor that has sent nothing on a partition for this long (wall clock) stops holding that
     * partition's event time back (see {@code SensorWatermarks}). Until then the watermark waits
     * for the sensor furthest behind, so that a sensor still replaying its spool after a broker
     * outage, or reconnecting after the others, is not late. The trade-off: a sensor that dies
     * holds the windows of the partitions it sent to back this long, and one away for longer finds
     * its records from before the others' watermark late. Default {@value
     * #DEFAULT_SENSOR_TIMEOUT_SECONDS} s.
     */
    public Builder sensorTimeout(Duration value) {
      this.sensorTimeout = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Managed memory of a TaskManager that this process starts (RocksDB's block cache and write
     * buffers); null (the default) is {@link #LOCAL_ROCKSDB_MANAGED_MEMORY} with RocksDB and
     * Flink's default with heap state.
     */
    public Builder managedMemory(MemorySize value) {
      this.managedMemory = value;
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
      if (quietAdvance != null && (quietAdvance.isNegative() || quietAdvance.isZero())) {
        throw new IllegalArgumentException("quiet advance must be positive");
      }
      if (maxWatermarkDrift != null
          && (maxWatermarkDrift.isNegative() || maxWatermarkDrift.isZero())) {
        throw new IllegalArgumentException("max watermark drift must be positive");
      }
      if (sensorTimeout.isNegative() || sensorTimeout.isZero()) {
        throw new IllegalArgumentException("sensor timeout must be positive");
      }
      return new ReportJobOptions(
          maxOutOfOrderness,
          sourceIdleness,
          rankBuckets,
          checkpointInterval,
          stateBackend,
          checkpointDirectory,
          quietAdvance,
          maxWatermarkDrift,
          sensorTimeout,
          managedMemory);
    }
  }
}

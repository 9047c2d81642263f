package org.argosy.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.argosy.jobs.report.ReportJobOptions.StateBackend;
import org.junit.jupiter.api.Test;

/** The Flink settings of the state backends, in a job's and in a local cluster's configuration. */
class ReportJobOptionsTest {

  @Test
  void rocksDbGetsPartitionedIndexesIncrementalCheckpointsAndManagedMemoryForItsBlockCache() {
    ReportJobOptions rocksDb =
        ReportJobOptions.builder().stateBackend(StateBackend.ROCKSDB).build();

    Configuration job = rocksDb.applyTo(new Configuration());
    assertThat(job.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(job.get(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS)).isTrue();
    assertThat(job.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(job.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isFalse();

    Configuration local = rocksDb.applyToLocalCluster(new Configuration());
    assertThat(local.get(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS)).isTrue();
    assertThat(local.get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
        .isEqualTo(ReportJobOptions.LOCAL_ROCKSDB_MANAGED_MEMORY);

    MemorySize twoGigabytes = MemorySize.parse("2g");
    assertThat(
            ReportJobOptions.builder()
                .stateBackend(StateBackend.ROCKSDB)
                .managedMemory(twoGigabytes)
                .build()
                .applyToLocalCluster(new Configuration())
                .get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
        .isEqualTo(twoGigabytes);
  }

  @Test
  void heapStateLeavesRocksDbAndManagedMemoryAlone() {
    Configuration local =
        ReportJobOptions.builder().build().applyToLocalCluster(new Configuration());
    assertThat(local.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
    assertThat(local.contains(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS)).isFalse();
    assertThat(local.contains(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    assertThat(local.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isFalse();
  }
}

package org.argosy.tools.racluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowMerge;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.io.ContainerFileReader;
import org.argosy.tools.io.FlowFiles.FlowFileException;

/**
 * racluster over Avro container files (the sensor's flow files) on several threads. Decompressing
 * and decoding a block is most of the work and blocks are independent: this thread reads the files'
 * blocks in order, checked as the one-thread reader checks them, and hands them out; each worker
 * decodes its blocks, filters and merges the records into groups of its own by key text, and {@link
 * FirstRowOrder} merges the groups in the order of their first record.
 */
final class ContainerCluster {

  /** Blocks read ahead of the workers, per worker: enough to keep them busy, little memory. */
  private static final int BLOCKS_AHEAD_PER_WORKER = 4;

  /** A block of one file; blocks are numbered in input order. */
  private record Task(ContainerFileReader file, ContainerFileReader.Block block, long number) {}

  /** Tells a worker that no block follows. */
  private static final Task END = new Task(null, null, -1);

  private ContainerCluster() {}

  /**
   * Merges every record of {@code files} (Avro container files of flow records) that passes {@code
   * filter} by {@code keys}, on {@code threads} threads; the aggregates by key in first-seen order.
   */
  static Map<String, FlowAggregate> cluster(
      List<String> files, ClusterKeySpec keys, FlowFilter filter, int threads)
      throws FlowFileException {
    BlockingQueue<Task> blocks = new ArrayBlockingQueue<>(threads * BLOCKS_AHEAD_PER_WORKER);
    AtomicBoolean failed = new AtomicBoolean();
    try (WorkerThreads<Groups> workers =
        new WorkerThreads<>(threads, () -> new Worker(keys, filter).run(blocks, failed))) {
      FlowFileException damaged = null;
      try {
        handOut(files, blocks, failed);
      } catch (FlowFileException e) {
        damaged = e;
      } finally {
        for (int i = 0; i < threads; i++) {
          put(blocks, END);
        }
      }
      List<Groups> tables = workers.results();
      if (damaged != null) {
        throw damaged;
      }
      return FirstRowOrder.combine(tables);
    }
  }

  /** Reads the blocks of every file in order into {@code blocks}, until a worker fails. */
  private static void handOut(List<String> files, BlockingQueue<Task> blocks, AtomicBoolean failed)
      throws FlowFileException {
    long number = 0;
    for (String file : files) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(file)))) {
        ContainerFileReader reader = new ContainerFileReader(file, in);
        for (ContainerFileReader.Block block = reader.nextBlock();
            block != null && !failed.get();
            block = reader.nextBlock()) {
          put(blocks, new Task(reader, block, number++));
        }
      } catch (IOException e) {
        throw FlowFileException.cannotRead(file, e);
      }
    }
  }

  private static void put(BlockingQueue<Task> blocks, Task task) {
    try {
      blocks.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * One thread's groups by key text. It takes blocks in ascending order, so its groups are in the
   * order of their first record.
   */
  private static final class Groups implements FirstRowOrder.Groups {
    private final Map<String, Group> byKey = new LinkedHashMap<>();
    private List<String> names;
    private List<Group> groups;

    /** A group's merged counters and where its first record lies (block << 32 | record). */
    private record Group(FlowAggregate aggregate, long first) {}

    void add(String key, FlowRecord record, long position) {
      Group group = byKey.get(key);
      if (group == null) {
        group = new Group(FlowMerge.empty(), position);
        byKey.put(key, group);
      }
      FlowMerge.add(group.aggregate(), record);
    }

    /** Done adding: indexes the groups for {@link FirstRowOrder}. */
    Groups done() {
      names = new ArrayList<>(byKey.keySet());
      groups = new ArrayList<>(byKey.values());
      return this;
    }

    @Override
    public int size() {
      return groups.size();
    }

    @Override
    public String name(int g) {
      return names.get(g);
    }

    @Override
    public long first(int g) {
      return groups.get(g).first();
    }

    @Override
    public FlowAggregate aggregate(int g) {
      return groups.get(g).aggregate();
    }
  }

  /** One thread: decodes, filters and merges the blocks it takes until the end. */
  private static final class Worker {
    private final ClusterKeySpec keys;
    private final FlowFilter filter;
    private final Groups groups = new Groups();

    /** A decoder per file: each keeps a codec and a datum reader for that file's schema. */
    private final Map<ContainerFileReader, ContainerFileReader.BlockDecoder<FlowRecord>> decoders =
        new IdentityHashMap<>();

    Worker(ClusterKeySpec keys, FlowFilter filter) {
      this.keys = keys;
      this.filter = filter;
    }

    /**
     * Takes blocks until {@link #END}. After a failure it still takes them (the reading thread
     * would otherwise wait on a full queue) but decodes no more; the failure is thrown at the end.
     */
    Groups run(BlockingQueue<Task> blocks, AtomicBoolean failed) throws FlowFileException {
      Exception failure = null;
      for (Task task = take(blocks); task != END; task = take(blocks)) {
        if (failure != null) {
          continue;
        }
        try {
          merge(task);
        } catch (FlowFileException | RuntimeException e) {
          failure = e;
          failed.set(true);
        }
      }
      if (failure instanceof FlowFileException damaged) {
        throw damaged;
      }
      if (failure instanceof RuntimeException unexpected) {
        throw unexpected;
      }
      return groups.done();
    }

    private void merge(Task task) throws FlowFileException {
      ContainerFileReader.BlockDecoder<FlowRecord> decoder = decoders.get(task.file());
      if (decoder == null) {
        decoder = task.file().decoder(FlowRecord.class);
        decoders.put(task.file(), decoder);
      }
      long[] position = {task.number() << 32};
      decoder.decode(
          task.block(),
          record -> {
            if (filter.matches(record)) {
              groups.add(keys.keyOf(record), record, position[0]);
            }
            position[0]++;
          },
          true);
    }

    private static Task take(BlockingQueue<Task> blocks) {
      try {
        return blocks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}

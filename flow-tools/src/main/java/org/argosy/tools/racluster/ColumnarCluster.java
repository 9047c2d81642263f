package org.argosy.tools.racluster;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.FlowKeyField;
import org.argosy.query.FlowMerge;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.io.ArrowFlowFiles;
import org.argosy.tools.io.FlowBatch;
import org.argosy.tools.io.FlowColumns;
import org.argosy.tools.io.FlowFiles.FlowFileException;

/**
 * racluster over columnar flow files without a record object per row. Rows are grouped by the raw
 * values of the key's fields, packed into longs, in an open-addressing table; each group's key text
 * is {@link ClusterKeySpec#keyOf} of its first row, so several groups may share a key (masked
 * addresses) and are merged by it at the end. Counters and fixed-width key fields are copied out of
 * the columns a chunk of rows at a time; the counters go into {@link FlowMerge}, the report
 * engine's merge. The batches are shared out between threads, each with its own table, and the
 * tables merged by {@link FirstRowOrder}. A filter is evaluated on one refilled record per thread,
 * filled with only the columns the filter and the key read.
 */
final class ColumnarCluster {

  /**
   * Rows copied out of the columns at a time: one bulk copy per column instead of a bounds-checked
   * buffer read per value, which matters most while the code still runs interpreted (the first
   * million rows of a run). A multiple of 8, so that a chunk starts at a byte of a validity bitmap.
   */
  private static final int CHUNK = 256;

  /** The columns {@link FlowMerge#add} takes, in its order. */
  private static final int[] COUNTERS =
      Stream.of("spkts", "dpkts", "sbytes", "dbytes", "sappbytes", "dappbytes", "stime", "ltime")
          .mapToInt(FlowColumns::index)
          .toArray();

  private ColumnarCluster() {}

  /** One batch of one file; tasks are numbered in input order. */
  private record Task(int file, int batch) {}

  /**
   * Merges every row of {@code files} (columnar flow files) that passes {@code filter} by {@code
   * keys}, on up to {@code threads} threads; the aggregates by key in first-seen order.
   */
  static Map<String, FlowAggregate> cluster(
      List<String> files, ClusterKeySpec keys, FlowFilter filter, int threads)
      throws FlowFileException {
    List<Task> tasks = new ArrayList<>();
    for (int file = 0; file < files.size(); file++) {
      try (ArrowFlowFiles.Reader reader = ArrowFlowFiles.Reader.open(files.get(file))) {
        for (int batch = 0; batch < reader.batches(); batch++) {
          tasks.add(new Task(file, batch));
        }
      }
    }
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    try (WorkerThreads<Groups> workers =
        new WorkerThreads<>(
            Math.max(1, Math.min(threads, tasks.size())),
            () -> new Worker(files, keys, filter).run(tasks, next, failed))) {
      return FirstRowOrder.combine(workers.results());
    }
  }

  /** One thread: takes tasks in ascending order, so a group's first row is its earliest. */
  private static final class Worker {
    private final List<String> files;
    private final ClusterKeySpec keys;
    private final FlowFilter filter;
    private final KeyColumn[] keyColumns;
    private final Groups groups;

    /** Words in a packed key. */
    private final int width;

    private final long[] lastKey;
    private int lastGroup = -1;

    /** The counter columns of the batch, and a chunk's values copied out of them. */
    private final LongBuffer[] counterColumns = new LongBuffer[COUNTERS.length];

    private final long[][] counters = new long[COUNTERS.length][CHUNK];

    /** A chunk's passing rows (places in the chunk), their keys one after another, their hashes. */
    private final int[] chunkRows = new int[CHUNK];

    private final long[] chunkKeys;
    private final int[] chunkHashes = new int[CHUNK];

    private final FlowRecord view = new FlowRecord();

    /** The key's columns: what a new group's key text is made of. */
    private final FlowColumns.Rows keyFields;

    /** The columns the filter reads and the key's: a row is tested, and keyed, on these alone. */
    private final FlowColumns.Rows filterFields;

    private final Map<Integer, ArrowFlowFiles.Reader> readers = new HashMap<>();

    Worker(List<String> files, ClusterKeySpec keys, FlowFilter filter) {
      this.files = files;
      this.keys = keys;
      this.filter = filter;
      this.keyColumns =
          keys.fields().stream().map(ColumnarCluster::keyColumn).toArray(KeyColumn[]::new);
      this.width = Arrays.stream(keyColumns).mapToInt(KeyColumn::width).sum();
      this.lastKey = new long[width];
      this.chunkKeys = new long[CHUNK * width];
      this.groups = new Groups(width);
      List<String> keyNames = Arrays.stream(keyColumns).map(KeyColumn::name).toList();
      this.keyFields = new FlowColumns.Rows(keyNames);
      Set<String> tested = new HashSet<>(filter.fields());
      tested.addAll(keyNames);
      this.filterFields = new FlowColumns.Rows(tested);
    }

    Groups run(List<Task> tasks, AtomicInteger next, AtomicBoolean failed)
        throws FlowFileException {
      try {
        for (int t = next.getAndIncrement();
            t < tasks.size() && !failed.get();
            t = next.getAndIncrement()) {
          Task task = tasks.get(t);
          ArrowFlowFiles.Reader reader = readers.get(task.file());
          if (reader == null) {
            reader = ArrowFlowFiles.Reader.open(files.get(task.file()));
            readers.put(task.file(), reader);
          }
          try {
            batch(reader, reader.load(task.batch()), (long) t << 32);
          } catch (IndexOutOfBoundsException | NegativeArraySizeException e) {
            // a corrupt offset or length in the batch, caught by the buffers' bounds checks
            throw reader.damaged(
                "batch " + (task.batch() + 1) + " unreadable: " + e.getMessage(), e);
          }
        }
        return groups;
      } catch (FlowFileException | RuntimeException e) {
        failed.set(true);
        throw e;
      } finally {
        for (ArrowFlowFiles.Reader reader : readers.values()) {
          reader.close();
        }
      }
    }

    private void batch(ArrowFlowFiles.Reader reader, FlowBatch batch, long position)
        throws FlowFileException {
      int rows = batch.rows();
      for (KeyColumn column : keyColumns) {
        column.bind(batch);
      }
      for (int c = 0; c < COUNTERS.length; c++) {
        counterColumns[c] = batch.data(COUNTERS[c]).asLongBuffer();
      }
      long[] spkts = counters[0];
      long[] dpkts = counters[1];
      long[] sbytes = counters[2];
      long[] dbytes = counters[3];
      long[] sappbytes = counters[4];
      long[] dappbytes = counters[5];
      long[] stime = counters[6];
      long[] ltime = counters[7];
      for (int start = 0; start < rows; start += CHUNK) {
        int count = Math.min(CHUNK, rows - start);
        for (int c = 0; c < COUNTERS.length; c++) {
          counterColumns[c].get(start, counters[c], 0, count);
        }
        for (KeyColumn column : keyColumns) {
          column.load(start, count);
        }
        int passing = keyChunk(reader, batch, start, count);
        for (int i = 0; i < passing; i++) {
          int at = chunkRows[i];
          int keyAt = i * width;
          // rows of one key often come together (one conversation's status records, one service)
          int group;
          if (lastGroup >= 0 && Arrays.equals(chunkKeys, keyAt, keyAt + width, lastKey, 0, width)) {
            group = lastGroup;
          } else {
            group = groups.find(chunkKeys, keyAt, chunkHashes[i]);
            if (group < 0) {
              int row = start + at;
              reader.read(batch, row, view, keyFields);
              group =
                  groups.add(chunkKeys, keyAt, chunkHashes[i], keys.keyOf(view), position | row);
            }
            lastGroup = group;
            System.arraycopy(chunkKeys, keyAt, lastKey, 0, width);
          }
          FlowMerge.add(
              groups.rows,
              groups.valuesAt(group),
              spkts[at],
              dpkts[at],
              sbytes[at],
              dbytes[at],
              sappbytes[at],
              dappbytes[at],
              stime[at],
              ltime[at]);
        }
      }
    }

    /**
     * Keys and hashes the rows of the chunk from {@code start} that pass the filter: their places
     * in the chunk into {@link #chunkRows}, keys into {@link #chunkKeys}, hashes into {@link
     * #chunkHashes}; returns how many passed.
     */
    private int keyChunk(ArrowFlowFiles.Reader reader, FlowBatch batch, int start, int count)
        throws FlowFileException {
      boolean filtering = !filter.isAll();
      int passing = 0;
      for (int i = 0; i < count; i++) {
        if (filtering) {
          reader.read(batch, start + i, view, filterFields);
          if (!filter.matches(view)) {
            continue;
          }
        }
        int at = passing * width;
        for (KeyColumn column : keyColumns) {
          at = column.encode(start + i, i, chunkKeys, at);
        }
        int hash = Groups.hash(chunkKeys, passing * width, width);
        chunkHashes[passing] = hash;
        chunkRows[passing++] = i;
      }
      return passing;
    }
  }

  /**
   * Packs one key field of a row into longs that are equal exactly when the field's values are: a
   * null or empty value gets a word no value has. Fixed-width fields are copied a chunk of rows at
   * a time ({@link #load}) and packed from the copy.
   */
  private abstract static class KeyColumn {
    static final long ABSENT = Long.MIN_VALUE;

    private final String name;
    final int column;
    FlowBatch batch;
    ByteBuffer data;
    private ByteBuffer validity;

    /** The chunk's validity bits (chunks start at a multiple of 8 rows). */
    private final byte[] valid = new byte[CHUNK / 8];

    private boolean allValid;

    KeyColumn(String column) {
      this.name = column;
      this.column = FlowColumns.index(column);
    }

    /** Reads {@code batch} from now on: its data buffer (values, items) and validity bitmap. */
    void bind(FlowBatch batch) {
      this.batch = batch;
      data = batch.data(column);
      validity = batch.validity(column);
    }

    /** Copies what {@link #encode} reads of the {@code count} rows from {@code start}. */
    void load(int start, int count) {
      allValid = validity == null;
      if (!allValid) {
        validity.get(start >>> 3, valid, 0, (count + 7) >>> 3);
      }
    }

    String name() {
      return name;
    }

    /** Whether the chunk's row {@code at} is null. */
    boolean isNull(int at) {
      return !allValid && (valid[at >>> 3] & 1 << (at & 7)) == 0;
    }

    int width() {
      return 1;
    }

    /**
     * Writes the words of {@code row}, the chunk's row {@code at}, at {@code into}; returns the
     * index after them.
     */
    abstract int encode(int row, int at, long[] key, int into);
  }

  private static KeyColumn keyColumn(FlowKeyField field) {
    return switch (field) {
      case PROTO -> intColumn("proto");
      case SPORT -> intColumn("sport");
      case DPORT -> intColumn("dport");
      case STOS -> intColumn("stos");
      case DTOS -> intColumn("dtos");
      case STTL -> intColumn("sttl");
      case DTTL -> intColumn("dttl");
      case ETYPE -> intColumn("etherType");
      case SADDR -> addressColumn("saddr");
      case DADDR -> addressColumn("daddr");
      case SMAC -> macColumn("smac");
      case DMAC -> macColumn("dmac");
      case VLAN -> firstOfListColumn("vlanIds");
      case MPLS -> firstOfListColumn("mplsLabels");
      case SRCID -> textColumn("sensorId");
      case SITE -> textColumn("site");
      case IFACE -> textColumn("iface");
    };
  }

  private static KeyColumn intColumn(String name) {
    return new KeyColumn(name) {
      private final int[] values = new int[CHUNK];
      private IntBuffer ints;

      @Override
      void bind(FlowBatch batch) {
        super.bind(batch);
        ints = data.asIntBuffer();
      }

      @Override
      void load(int start, int count) {
        super.load(start, count);
        ints.get(start, values, 0, count);
      }

      @Override
      int encode(int row, int at, long[] key, int into) {
        key[into] = isNull(at) ? ABSENT : values[at];
        return into + 1;
      }
    };
  }

  /** 16 bytes as two words, and a word that tells null from the address 0. */
  private static KeyColumn addressColumn(String name) {
    return new KeyColumn(name) {
      private final long[] words = new long[CHUNK * 2];
      private LongBuffer longs;

      @Override
      void bind(FlowBatch batch) {
        super.bind(batch);
        longs = data.asLongBuffer();
      }

      @Override
      void load(int start, int count) {
        super.load(start, count);
        longs.get(start * 2, words, 0, count * 2);
      }

      @Override
      int width() {
        return 3;
      }

      @Override
      int encode(int row, int at, long[] key, int into) {
        boolean absent = isNull(at);
        key[into] = absent ? 1 : 0;
        key[into + 1] = absent ? 0 : words[at * 2];
        key[into + 2] = absent ? 0 : words[at * 2 + 1];
        return into + 3;
      }
    };
  }

  private static KeyColumn macColumn(String name) {
    return new KeyColumn(name) {
      @Override
      int encode(int row, int at, long[] key, int into) {
        key[into] =
            isNull(at)
                ? ABSENT
                : (data.getInt(row * 6) & 0xffffffffL)
                    | (data.getShort(row * 6 + 4) & 0xffffL) << 32;
        return into + 1;
      }
    };
  }

  /** VLAN and MPLS keys are the outermost id, as {@link FlowKeyField} reads them. */
  private static KeyColumn firstOfListColumn(String name) {
    return new KeyColumn(name) {
      private ByteBuffer offsets;

      @Override
      void bind(FlowBatch batch) {
        super.bind(batch);
        offsets = batch.offsets(column);
      }

      @Override
      int encode(int row, int at, long[] key, int into) {
        int start = offsets.getInt(row * 4);
        key[into] = start == offsets.getInt(row * 4 + 4) ? ABSENT : data.getInt(start * 4);
        return into + 1;
      }
    };
  }

  /** Text as a number per distinct value, given out by this column (one per thread). */
  private static KeyColumn textColumn(String name) {
    return new KeyColumn(name) {
      private final Map<String, Integer> ids = new HashMap<>();

      @Override
      int encode(int row, int at, long[] key, int into) {
        String text = new String(batch.textAt(column, row), StandardCharsets.UTF_8);
        key[into] = ids.computeIfAbsent(text, t -> ids.size());
        return into + 1;
      }
    };
  }

  /**
   * An open-addressing table from packed keys to groups. A slot holds a group's hash beside its
   * number, so a probe reads the group's row only when the hashes are equal. A group's row holds
   * its key's words and then {@link FlowMerge}'s values, so that a row's key and counters come in
   * one memory access where the groups outgrow the caches.
   */
  private static final class Groups implements FirstRowOrder.Groups {
    private final int width;
    private final int rowLength;
    private long[] slots = new long[1 << 10]; // hash << 32 | group + 1; 0 when free
    long[] rows;
    String[] names;
    long[] first;
    int size;

    Groups(int width) {
      this.width = width;
      this.rowLength = width + FlowMerge.VALUES;
      int capacity = 1 << 9;
      rows = new long[capacity * rowLength];
      names = new String[capacity];
      first = new long[capacity];
    }

    /** Where the merge's values of {@code group} start in {@link #rows}. */
    int valuesAt(int group) {
      return group * rowLength + width;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public String name(int group) {
      return names[group];
    }

    @Override
    public long first(int group) {
      return first[group];
    }

    @Override
    public FlowAggregate aggregate(int group) {
      return FlowMerge.toAggregate(rows, valuesAt(group));
    }

    /**
     * The group of the key in {@code keys} from {@code keyAt}, whose {@link #hash} is {@code hash},
     * or -1.
     */
    int find(long[] keys, int keyAt, int hash) {
      int mask = slots.length - 1;
      for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
        long entry = slots[slot];
        if (entry == 0) {
          return -1;
        }
        int group = (int) entry - 1;
        int at = group * rowLength;
        if ((int) (entry >>> 32) == hash
            && Arrays.equals(rows, at, at + width, keys, keyAt, keyAt + width)) {
          return group;
        }
      }
    }

    /**
     * A new group for the key in {@code keys} from {@code keyAt} (hash {@code hash}), whose first
     * row was at {@code position}.
     */
    int add(long[] keys, int keyAt, int hash, String name, long position) {
      if (size == names.length) {
        int capacity = size * 2;
        rows = Arrays.copyOf(rows, capacity * rowLength);
        names = Arrays.copyOf(names, capacity);
        first = Arrays.copyOf(first, capacity);
      }
      int group = size++;
      System.arraycopy(keys, keyAt, rows, group * rowLength, width);
      FlowMerge.clear(rows, valuesAt(group));
      names[group] = name;
      first[group] = position;
      if (size * 2 > slots.length) {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long entry : old) {
          if (entry != 0) {
            place(entry);
          }
        }
      }
      place((long) hash << 32 | (group + 1));
      return group;
    }

    private void place(long entry) {
      int mask = slots.length - 1;
      int slot = (int) (entry >>> 32) & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = entry;
    }

    /**
     * Multiplicative hashing with the high half folded down after every product: a product's low
     * bits depend only on the factor's low bits, and an IPv4 address lies in a word's high bytes.
     */
    static int hash(long[] keys, int from, int width) {
      long h = 0;
      for (int i = from; i < from + width; i++) {
        h = (h ^ keys[i]) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
      }
      h *= 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32));
    }
  }
}

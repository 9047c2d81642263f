package org.argosy.tools.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.argosy.avro.FlowRecord;
import org.argosy.tools.io.FlowFiles.FlowFileException;

/**
 * The columnar flow file: the Arrow IPC file format ({@code ARROW1} magic, record batches of
 * {@value #BATCH_ROWS} rows, a footer that indexes them), columns as {@link FlowColumns} lays them
 * out, uncompressed so that a batch is used where it lies. pyarrow, Polars, DuckDB, R and Spark
 * read it as it is. The footer lets a reader load any batch on its own, which racluster's threads
 * do.
 */
public final class ArrowFlowFiles {

  /** The first bytes of every Arrow IPC file. */
  static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

  static final int BATCH_ROWS = 65_536;

  /**
   * Memory one reader or writer may take: a batch is about 13 MB, so a file whose lengths ask for
   * more is corrupt, and it is an error rather than an exhausted heap.
   */
  private static final long MEMORY_LIMIT = 1L << 30;

  private ArrowFlowFiles() {}

  /** Whether {@code head}, a file's first bytes, is an Arrow file's magic. */
  static boolean isArrow(byte[] head) {
    return head.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
  }

  /** Writes flow records into a columnar flow file. */
  public static final class Writer implements Closeable {
    private final BufferAllocator allocator = new RootAllocator(MEMORY_LIMIT);
    private final VectorSchemaRoot batch = VectorSchemaRoot.create(FlowColumns.SCHEMA, allocator);
    private final ArrowFileWriter writer;
    private int rows;

    public Writer(WritableByteChannel out) throws IOException {
      writer = new ArrowFileWriter(batch, null, out);
      writer.start();
      batch.allocateNew();
    }

    /** Adds one record; it may be refilled as soon as this returns. */
    public void add(FlowRecord record) throws IOException {
      FlowColumns.write(batch, rows++, record);
      if (rows == BATCH_ROWS) {
        flush();
      }
    }

    /** Writes the records added since the last batch as a batch of their own (none: nothing). */
    public void flush() throws IOException {
      if (rows == 0) {
        return;
      }
      batch.setRowCount(rows);
      writer.writeBatch();
      batch.allocateNew();
      rows = 0;
    }

    /** Writes the last batch and the footer; the file is readable only after this. */
    @Override
    public void close() throws IOException {
      try (allocator;
          batch;
          writer) {
        flush();
        writer.end();
      }
    }
  }

  /** An open columnar flow file whose batches can be loaded in any order. */
  public static final class Reader implements AutoCloseable {
    private final String name;
    private final BufferAllocator allocator = new RootAllocator(MEMORY_LIMIT);
    private final ArrowFileReader reader;
    private final List<ArrowBlock> blocks;
    private final Bytes bytes;
    private final VectorLoader loader;
    private final FlowColumns.Rows rows = new FlowColumns.Rows();

    /** The loaded batch's bytes, kept reachable (mapped) while its vectors point into them. */
    private ByteBuffer current;

    /** Where a batch's bytes are: the file mapped into memory, or standard input read whole. */
    private interface Bytes {
      long size() throws IOException;

      /** Direct memory holding {@code length} bytes of the file from {@code offset} on. */
      ByteBuffer at(long offset, int length) throws IOException;
    }

    /** Opens the file at {@code path}. */
    public static Reader open(String path) throws FlowFileException {
      FileChannel file;
      try {
        file = FileChannel.open(Path.of(path), StandardOpenOption.READ);
      } catch (IOException e) {
        throw new FlowFileException("cannot read " + path + ": " + e.getMessage(), e);
      }
      return new Reader(
          path,
          file,
          new Bytes() {
            @Override
            public long size() throws IOException {
              return file.size();
            }

            @Override
            public ByteBuffer at(long offset, int length) throws IOException {
              return file.map(FileChannel.MapMode.READ_ONLY, offset, length);
            }
          });
    }

    /** Reads a whole file given as bytes ({@code -}, standard input, has no footer to seek to). */
    public static Reader of(String name, byte[] content) throws FlowFileException {
      ByteBuffer direct = ByteBuffer.allocateDirect(content.length).put(content);
      return new Reader(
          name,
          new ByteArrayReadableSeekableByteChannel(content),
          new Bytes() {
            @Override
            public long size() {
              return content.length;
            }

            @Override
            public ByteBuffer at(long offset, int length) {
              return direct.slice((int) offset, length);
            }
          });
    }

    /**
     * Reads the footer through {@code channel}, named {@code name} in errors, and checks that the
     * file holds flow records; the reader owns the channel.
     */
    private Reader(String name, SeekableByteChannel channel, Bytes bytes) throws FlowFileException {
      this.name = name;
      this.bytes = bytes;
      ArrowFileReader opened = new ArrowFileReader(channel, allocator);
      try {
        String problem = FlowColumns.problem(opened.getVectorSchemaRoot().getSchema());
        if (problem != null) {
          throw new IllegalArgumentException("not a flow file: " + problem);
        }
        blocks = opened.getRecordBlocks();
        reader = opened;
        loader = new VectorLoader(opened.getVectorSchemaRoot());
      } catch (IOException | RuntimeException e) {
        try (allocator;
            opened) {
          throw damaged("unreadable Arrow file: " + e.getMessage(), e);
        } catch (IOException closing) {
          e.addSuppressed(closing);
          throw damaged("unreadable Arrow file: " + e.getMessage(), e);
        }
      }
    }

    public String name() {
      return name;
    }

    public int batches() {
      return blocks.size();
    }

    /**
     * Loads batch {@code index}, its buffers checked against its row count. Values are not checked
     * (that costs more than reading them); Arrow checks every read against its buffer's bounds, so
     * a corrupt offset is an exception that {@link #read} and the callers of {@link #damaged} turn
     * into an error naming the file.
     */
    public VectorSchemaRoot load(int index) throws FlowFileException {
      try {
        return loadMapped(blocks.get(index));
      } catch (IOException | RuntimeException e) {
        throw damaged(
            "batch " + (index + 1) + " of " + blocks.size() + " unreadable: " + e.getMessage(), e);
      }
    }

    /**
     * Loads a batch whose vectors point into the file's pages (mapped) rather than into a copy:
     * only the pages of the columns a reader touches are read, and nothing is copied. Arrow's own
     * loader copies the whole batch, every column, into memory it allocates.
     */
    private VectorSchemaRoot loadMapped(ArrowBlock block) throws IOException {
      long offset = block.getOffset();
      int metadataLength = block.getMetadataLength();
      long length = metadataLength + block.getBodyLength();
      if (offset < 0
          || metadataLength <= 0
          || block.getBodyLength() < 0
          || length > Integer.MAX_VALUE
          || offset + length > bytes.size()) {
        throw new IOException("the footer places it outside the file");
      }
      ByteBuffer batchBytes = bytes.at(offset, (int) length);
      byte[] metadata = new byte[metadataLength];
      batchBytes.get(0, metadata);
      MessageMetadataResult message =
          MessageSerializer.readMessage(
              new ReadChannel(new ByteArrayReadableSeekableByteChannel(metadata)));
      if (message == null || message.getMessage().headerType() != MessageHeader.RecordBatch) {
        throw new IOException("not a record batch");
      }
      long address = MemoryUtil.getByteBufferAddress(batchBytes) + metadataLength;
      // the memory is the mapping's: released when the mapping is unreachable, not by Arrow
      ArrowBuf body =
          allocator.wrapForeignAllocation(
              new ForeignAllocation(block.getBodyLength(), address) {
                @Override
                protected void release0() {}
              });
      // the batch takes the body over: it holds slices of it and releases the body itself
      try (ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(message, body)) {
        loader.load(batch);
      }
      current = batchBytes;
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      ValueVectorUtility.validate(root);
      return root;
    }

    /** Refills {@code record} from row {@code row} of the batch {@link #load} returned. */
    public void read(VectorSchemaRoot batch, int row, FlowRecord record) throws FlowFileException {
      read(batch, row, record, rows);
    }

    /** Refills the fields of {@code record} that {@code columns} reads from row {@code row}. */
    public void read(VectorSchemaRoot batch, int row, FlowRecord record, FlowColumns.Rows columns)
        throws FlowFileException {
      try {
        columns.read(batch, row, record);
      } catch (RuntimeException e) {
        throw new FlowFileException(name + ": row " + row + " unreadable: " + e.getMessage(), e);
      }
    }

    /**
     * Hands every record to {@code sink} in file order, refilling one object when {@code reuse}.
     *
     * @return the number of records
     */
    public long forEach(Consumer<FlowRecord> sink, boolean reuse) throws FlowFileException {
      long records = 0;
      FlowRecord record = new FlowRecord();
      for (int i = 0; i < blocks.size(); i++) {
        VectorSchemaRoot batch = load(i);
        for (int row = 0; row < batch.getRowCount(); row++) {
          if (!reuse) {
            record = new FlowRecord();
          }
          read(batch, row, record);
          sink.accept(record);
          records++;
        }
      }
      return records;
    }

    /** An error naming this file. */
    public FlowFileException damaged(String what, Throwable cause) {
      return new FlowFileException(name + ": " + what, cause);
    }

    @Override
    public void close() throws FlowFileException {
      try (allocator) {
        reader.close();
      } catch (IOException e) {
        throw new FlowFileException("cannot close " + name + ": " + e.getMessage(), e);
      }
    }
  }
}

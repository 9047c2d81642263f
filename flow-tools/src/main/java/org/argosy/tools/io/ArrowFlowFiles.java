package org.argosy.tools.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.flatbuf.Block;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.argosy.avro.FlowRecord;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.io.FlowFiles.FlowFileException;

/**
 * The columnar flow file: the Arrow IPC file format ({@code ARROW1} magic, record batches of
 * {@value #BATCH_ROWS} rows, a footer that indexes them), columns as {@link FlowColumns} lays them
 * out, uncompressed so that a batch is used where it lies. pyarrow, Polars, DuckDB, R and Spark
 * read it as it is. The footer lets a reader load any batch on its own, which racluster's threads
 * do. Writing goes through Arrow Java; reading reads the format itself ({@link Reader}).
 */
public final class ArrowFlowFiles {

  /** The first bytes of every Arrow IPC file. */
  static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

  static final int BATCH_ROWS = 65_536;

  /**
   * Memory a writer may take: a batch is about 13 MB, so a batch that needs more is a bug, and it
   * is an error rather than an exhausted heap.
   */
  private static final long MEMORY_LIMIT = 1L << 30;

  private ArrowFlowFiles() {}

  /** Whether {@code head}, a file's first bytes, is an Arrow file's magic. */
  static boolean isArrow(byte[] head) {
    return head.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
  }

  /**
   * Writes flow records into a columnar flow file. Arrow Java's schema, which only writing needs,
   * is made here from {@link FlowColumns#LAYOUT}.
   */
  public static final class Writer implements Closeable {
    static final Schema SCHEMA =
        new Schema(FlowColumns.LAYOUT.stream().map(Writer::field).toList());

    private final BufferAllocator allocator = new RootAllocator(MEMORY_LIMIT);
    private final VectorSchemaRoot batch = VectorSchemaRoot.create(SCHEMA, allocator);
    private final ArrowFileWriter writer;
    private int rows;

    public Writer(WritableByteChannel out) throws IOException {
      writer = new ArrowFileWriter(batch, null, out);
      writer.start();
      batch.allocateNew();
    }

    private static Field field(FlowColumns.Layout column) {
      ArrowType type =
          switch (column.type()) {
            case INT32 -> new ArrowType.Int(32, true);
            case INT64 -> new ArrowType.Int(64, true);
            case TIMESTAMP ->
                new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC");
            case UTF8 -> ArrowType.Utf8.INSTANCE;
            case ADDRESS, MAC -> new ArrowType.FixedSizeBinary(column.type().width());
            case INT32_LIST -> ArrowType.List.INSTANCE;
          };
      List<Field> children =
          column.type() == ColumnType.INT32_LIST
              ? List.of(field(new FlowColumns.Layout(ColumnType.ITEM, ColumnType.INT32, false)))
              : null;
      return new Field(column.name(), new FieldType(column.nullable(), type, null), children);
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

  /**
   * An open columnar flow file whose batches can be loaded in any order. It reads the IPC file
   * format with Arrow's FlatBuffers classes alone: Arrow Java's reader needs its schema classes,
   * whose set-up (a JSON mapper) takes longer than racluster takes to read a million records. The
   * file: {@code ARROW1}, 2 bytes of padding, the schema and batch messages, the footer, the
   * footer's length as a 32-bit integer and {@code ARROW1}; integers little-endian.
   */
  public static final class Reader implements AutoCloseable {
    /** The magic and its padding before the first message. */
    private static final int HEAD_LENGTH = 8;

    /** After the footer: its length and the magic. */
    private static final int TAIL_LENGTH = Integer.BYTES + 6;

    /** The marker (0xFFFFFFFF) before a message's metadata length, which older files lack. */
    private static final int CONTINUATION = -1;

    private final String name;
    private final Closeable source;
    private final Bytes bytes;
    private final List<Place> places;
    private final FlowColumns.Rows rows = new FlowColumns.Rows();

    /** Where a batch's message lies, as the footer has it. */
    private record Place(long offset, int metadataLength, long bodyLength) {}

    /** Where a batch's bytes are: the file mapped into memory, or standard input read whole. */
    private interface Bytes {
      long size() throws IOException;

      /** {@code length} bytes of the file from {@code offset} on. */
      ByteBuffer at(long offset, int length) throws IOException;
    }

    /** Opens the file at {@code path}. */
    public static Reader open(String path) throws FlowFileException {
      FileChannel file;
      try {
        file = FileChannel.open(Path.of(path), StandardOpenOption.READ);
      } catch (IOException e) {
        throw FlowFileException.cannotRead(path, e);
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
      ByteBuffer whole = ByteBuffer.wrap(content);
      return new Reader(
          name,
          () -> {},
          new Bytes() {
            @Override
            public long size() {
              return content.length;
            }

            @Override
            public ByteBuffer at(long offset, int length) {
              return whole.slice((int) offset, length);
            }
          });
    }

    /**
     * Reads the footer of {@code bytes}, named {@code name} in errors, and checks that the file
     * holds flow records; the reader closes {@code source}, what the bytes come from.
     */
    private Reader(String name, Closeable source, Bytes bytes) throws FlowFileException {
      this.name = name;
      this.source = source;
      this.bytes = bytes;
      try {
        Footer footer = footer();
        String problem =
            footer.schema() == null ? "no schema" : FlowColumns.problem(footer.schema());
        if (problem != null) {
          throw new IllegalArgumentException("not a flow file: " + problem);
        }
        if (footer.dictionariesLength() > 0) {
          throw new IllegalArgumentException("it has dictionaries, which flow files do not");
        }
        List<Place> found = new ArrayList<>();
        Block block = new Block();
        for (int i = 0; i < footer.recordBatchesLength(); i++) {
          footer.recordBatches(block, i);
          found.add(new Place(block.offset(), block.metaDataLength(), block.bodyLength()));
        }
        places = found;
      } catch (IOException | RuntimeException e) {
        try (source) {
          throw damaged("unreadable Arrow file: " + e.getMessage(), e);
        } catch (IOException closing) {
          e.addSuppressed(closing);
          throw damaged("unreadable Arrow file: " + e.getMessage(), e);
        }
      }
    }

    private Footer footer() throws IOException {
      long size = bytes.size();
      if (size < HEAD_LENGTH + TAIL_LENGTH) {
        throw new IOException("only " + size + " bytes");
      }
      ByteBuffer tail = bytes.at(size - TAIL_LENGTH, TAIL_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[MAGIC.length];
      tail.get(Integer.BYTES, magic);
      if (!isArrow(magic)) {
        throw new IOException("no " + new String(MAGIC, StandardCharsets.US_ASCII) + " at the end");
      }
      int length = tail.getInt(0);
      if (length <= 0 || length > size - HEAD_LENGTH - TAIL_LENGTH) {
        throw new IOException("a footer of " + length + " bytes in " + size);
      }
      return Footer.getRootAsFooter(bytes.at(size - TAIL_LENGTH - length, length));
    }

    public String name() {
      return name;
    }

    public int batches() {
      return places.size();
    }

    /**
     * Loads batch {@code index}, its buffers checked against its row count. Values are not checked
     * (that costs more than reading them); every read is checked against its buffer's bounds, so a
     * corrupt offset is an exception that {@link #read} and the callers of {@link #damaged} turn
     * into an error naming the file.
     */
    public FlowBatch load(int index) throws FlowFileException {
      try {
        return loadMapped(places.get(index));
      } catch (IOException | RuntimeException e) {
        throw damaged(
            "batch " + (index + 1) + " of " + places.size() + " unreadable: " + e.getMessage(), e);
      }
    }

    /**
     * Loads a batch whose buffers are the file's pages (mapped) rather than a copy: only the pages
     * of the columns a reader touches are read, and nothing is copied.
     */
    private FlowBatch loadMapped(Place place) throws IOException {
      long length = place.metadataLength() + place.bodyLength();
      if (place.offset() < HEAD_LENGTH
          || place.metadataLength() <= 2 * Integer.BYTES
          || place.bodyLength() < 0
          || length > Integer.MAX_VALUE
          || place.offset() + length > bytes.size()) {
        throw new IOException("the footer places it outside the file");
      }
      ByteBuffer batch = bytes.at(place.offset(), (int) length).order(ByteOrder.LITTLE_ENDIAN);
      int lengthAt = batch.getInt(0) == CONTINUATION ? Integer.BYTES : 0;
      int messageLength = batch.getInt(lengthAt);
      int messageAt = lengthAt + Integer.BYTES;
      if (messageLength <= 0 || messageLength > place.metadataLength() - messageAt) {
        throw new IOException(
            "a message of " + messageLength + " bytes in " + place.metadataLength());
      }
      Message message = Message.getRootAsMessage(batch.slice(messageAt, messageLength));
      if (message.headerType() != MessageHeader.RecordBatch) {
        throw new IOException("not a record batch");
      }
      if (message.bodyLength() != place.bodyLength()) {
        throw new IOException(
            "a body of "
                + message.bodyLength()
                + " bytes where the footer has "
                + place.bodyLength());
      }
      RecordBatch header = (RecordBatch) message.header(new RecordBatch());
      if (header == null) {
        throw new IOException("a record batch message without its header");
      }
      return FlowBatch.load(header, batch.slice(place.metadataLength(), (int) place.bodyLength()));
    }

    /** Refills {@code record} from row {@code row} of the batch {@link #load} returned. */
    public void read(FlowBatch batch, int row, FlowRecord record) throws FlowFileException {
      read(batch, row, record, rows);
    }

    /** Refills the fields of {@code record} that {@code columns} reads from row {@code row}. */
    public void read(FlowBatch batch, int row, FlowRecord record, FlowColumns.Rows columns)
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
      return forEach(FlowFilter.all(), sink, reuse);
    }

    /**
     * Hands every record that passes {@code filter} to {@code sink}, in file order: the columns the
     * filter reads first, the others only for a record that passes.
     *
     * @return the number of records read, passed or not
     */
    public long forEach(FlowFilter filter, Consumer<FlowRecord> sink, boolean reuse)
        throws FlowFileException {
      FlowColumns.Rows tested = new FlowColumns.Rows(filter.fields());
      FlowColumns.Rows rest = tested.others();
      long records = 0;
      FlowRecord record = new FlowRecord();
      for (int i = 0; i < places.size(); i++) {
        FlowBatch batch = load(i);
        for (int row = 0; row < batch.rows(); row++) {
          records++;
          read(batch, row, record, tested);
          if (!filter.matches(record)) {
            continue;
          }
          read(batch, row, record, rest);
          sink.accept(record);
          if (!reuse) {
            record = new FlowRecord();
          }
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
      try {
        source.close();
      } catch (IOException e) {
        throw new FlowFileException("cannot close " + name + ": " + e.getMessage(), e);
      }
    }
  }
}

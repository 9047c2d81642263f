package org.argosy.tools.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.RecordBatch;

/**
 * One record batch of a columnar flow file, its columns' buffers where they lie in the file's bytes
 * (nothing copied), numbered as {@link FlowColumns#LAYOUT}. Loading checks every buffer against the
 * body and the row count, so a value that a row needs lies in its buffer; each read checks its row
 * against the row count and, through the buffer's own bounds, the offsets it reads (text, lists).
 * Values are not checked at load: that costs more than reading them.
 */
public final class FlowBatch {

  /**
   * A column's buffers, little-endian: validity (null when the column has no nulls), offsets (text
   * and lists, else null) and data (fixed-width values, text bytes, a list's items), each cut to
   * what the rows need.
   */
  private record Column(ByteBuffer validity, ByteBuffer offsets, ByteBuffer data, int width) {}

  private final int rows;
  private final Column[] columns;

  private FlowBatch(int rows, Column[] columns) {
    this.rows = rows;
    this.columns = columns;
  }

  /**
   * The batch that {@code batch}, a record batch message, describes in {@code body}, its body.
   *
   * @throws IOException when the message is not of a flow file's batch or places a buffer outside
   *     the body or makes it shorter than the rows need
   */
  static FlowBatch load(RecordBatch batch, ByteBuffer body) throws IOException {
    if (batch.compression() != null) {
      throw new IOException("its body is compressed, which flow files are not");
    }
    if (batch.length() < 0 || batch.length() > Integer.MAX_VALUE) {
      throw new IOException("it has " + batch.length() + " rows");
    }
    List<FlowColumns.Layout> layout = FlowColumns.LAYOUT;
    int nodes = layout.stream().mapToInt(column -> column.type().nodes()).sum();
    int buffers = layout.stream().mapToInt(column -> column.type().buffers()).sum();
    if (batch.nodesLength() != nodes || batch.buffersLength() != buffers) {
      throw new IOException(
          "it has "
              + batch.nodesLength()
              + " field nodes and "
              + batch.buffersLength()
              + " buffers, a flow file's batch "
              + nodes
              + " and "
              + buffers);
    }
    Loader loader = new Loader(batch, body);
    Column[] columns = new Column[layout.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = loader.column(layout.get(i));
    }
    return new FlowBatch((int) batch.length(), columns);
  }

  /** Walks a message's field nodes and buffers in order, column by column. */
  private static final class Loader {
    private final RecordBatch batch;
    private final ByteBuffer body;
    private final int rows;
    private int node;
    private int buffer;

    Loader(RecordBatch batch, ByteBuffer body) {
      this.batch = batch;
      this.body = body;
      this.rows = (int) batch.length();
    }

    Column column(FlowColumns.Layout layout) throws IOException {
      String name = layout.name();
      ColumnType type = layout.type();
      FieldNode field = batch.nodes(node++);
      if (field.length() != rows || field.nullCount() < 0 || field.nullCount() > rows) {
        throw new IOException(
            "column "
                + name
                + " has "
                + field.length()
                + " rows, "
                + field.nullCount()
                + " of them null, in a batch of "
                + rows);
      }
      ByteBuffer validity = next(name, "validity", field.nullCount() == 0 ? 0 : (rows + 7) / 8);
      if (field.nullCount() == 0) {
        validity = null;
      }
      return switch (type) {
        case UTF8 -> {
          ByteBuffer offsets = next(name, "offsets", offsetsLength(rows));
          ByteBuffer data = next(name, "data", rows == 0 ? 0 : offsets.getInt(rows * 4));
          yield new Column(validity, offsets, data, 0);
        }
        case INT32_LIST -> {
          ByteBuffer offsets = next(name, "offsets", offsetsLength(rows));
          FieldNode items = batch.nodes(node++);
          if (items.length() < 0 || items.length() > Integer.MAX_VALUE / Integer.BYTES) {
            throw new IOException("column " + name + " has " + items.length() + " items");
          }
          if (items.nullCount() != 0) {
            throw new IOException("column " + name + " has null items");
          }
          next(name, "item validity", 0);
          ByteBuffer data = next(name, "items", items.length() * Integer.BYTES);
          yield new Column(validity, offsets, data, Integer.BYTES);
        }
        default ->
            new Column(
                validity, null, next(name, "data", (long) rows * type.width()), type.width());
      };
    }

    private static long offsetsLength(int rows) {
      return rows == 0 ? 0 : (rows + 1L) * Integer.BYTES;
    }

    /**
     * The message's next buffer, its first {@code needed} bytes.
     *
     * @throws IOException when it lies outside the body or is shorter
     */
    private ByteBuffer next(String column, String what, long needed) throws IOException {
      Buffer place = batch.buffers(buffer++);
      long offset = place.offset();
      long length = place.length();
      if (offset < 0 || length < 0 || offset > body.capacity() - length) {
        throw new IOException(
            "column "
                + column
                + "'s "
                + what
                + " buffer ("
                + length
                + " bytes at "
                + offset
                + ") lies outside the body of "
                + body.capacity()
                + " bytes");
      }
      if (needed < 0 || length < needed) {
        throw new IOException(
            "column "
                + column
                + "'s "
                + what
                + " buffer has "
                + length
                + " bytes, its "
                + rows
                + " rows need "
                + needed);
      }
      return body.slice((int) offset, (int) needed).order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  public int rows() {
    return rows;
  }

  /** Whether row {@code row} of column {@code column} is null. */
  public boolean isNull(int column, int row) {
    ByteBuffer validity = columns[column].validity;
    Objects.checkIndex(row, rows);
    return validity != null && (validity.get(row >>> 3) & 1 << (row & 7)) == 0;
  }

  /** Row {@code row} of a 32-bit integer column. */
  public int intAt(int column, int row) {
    return columns[column].data.getInt(Objects.checkIndex(row, rows) * Integer.BYTES);
  }

  /** Row {@code row} of an 8-byte column (64-bit integers, timestamps). */
  public long longAt(int column, int row) {
    return columns[column].data.getLong(Objects.checkIndex(row, rows) * Long.BYTES);
  }

  /** Copies row {@code row} of a fixed-size binary column into {@code into}, as wide as it. */
  public void fixedAt(int column, int row, byte[] into) {
    Column fixed = columns[column];
    if (into.length != fixed.width) {
      throw new IllegalArgumentException(
          into.length + " bytes for a column " + fixed.width + " wide");
    }
    fixed.data.get(Objects.checkIndex(row, rows) * fixed.width, into);
  }

  /** The UTF-8 bytes of row {@code row} of a text column. */
  public byte[] textAt(int column, int row) {
    Column text = columns[column];
    int start = start(text, row);
    int end = end(text, row);
    if (end < start) {
      throw new IndexOutOfBoundsException("text from " + start + " to " + end);
    }
    byte[] bytes = new byte[end - start];
    text.data.get(start, bytes);
    return bytes;
  }

  /** The index of the first item of row {@code row} of a list column. */
  public int itemsStart(int column, int row) {
    return start(columns[column], row);
  }

  /** The index after the last item of row {@code row} of a list column. */
  public int itemsEnd(int column, int row) {
    return end(columns[column], row);
  }

  /** Item {@code item} of a list column's items (of all rows). */
  public int itemAt(int column, int item) {
    ByteBuffer items = columns[column].data;
    return items.getInt(Objects.checkIndex(item, items.limit() / Integer.BYTES) * Integer.BYTES);
  }

  private int start(Column column, int row) {
    return column.offsets.getInt(Objects.checkIndex(row, rows) * Integer.BYTES);
  }

  private int end(Column column, int row) {
    return column.offsets.getInt(Objects.checkIndex(row, rows) * Integer.BYTES + Integer.BYTES);
  }

  /**
   * Column {@code column}'s values (fixed-width values, a list's items), little-endian, as long as
   * the rows need: for readers of many rows, whose reads the buffer bounds-checks.
   */
  public ByteBuffer data(int column) {
    return columns[column].data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Column {@code column}'s validity bitmap, a bit per row, 0 for null; null when it has none. */
  public ByteBuffer validity(int column) {
    ByteBuffer validity = columns[column].validity;
    return validity == null ? null : validity.asReadOnlyBuffer();
  }

  /** The offsets of a text or list column, {@link #rows} + 1 little-endian 32-bit integers. */
  public ByteBuffer offsets(int column) {
    return columns[column].offsets.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }
}

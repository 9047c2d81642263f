package org.argosy.tools.io;

import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.FixedSizeBinary;
import org.apache.arrow.flatbuf.Int;
import org.apache.arrow.flatbuf.TimeUnit;
import org.apache.arrow.flatbuf.Timestamp;
import org.apache.arrow.flatbuf.Type;

/**
 * The Arrow types of the flow file's columns as the IPC format spells them: what a file's schema is
 * checked against, and how many bytes a row takes in a column's data buffer. The writer makes its
 * Arrow Java schema from these ({@link ArrowFlowFiles.Writer}), so reading loads none of Arrow
 * Java's schema classes, whose set-up costs a tool's start a sixth of a second.
 */
enum ColumnType {
  INT32(Type.Int, Integer.BYTES),
  INT64(Type.Int, Long.BYTES),
  /** Microseconds since the epoch, UTC. */
  TIMESTAMP(Type.Timestamp, Long.BYTES),
  UTF8(Type.Utf8, 0),
  ADDRESS(Type.FixedSizeBinary, 16),
  MAC(Type.FixedSizeBinary, 6),
  /** A list of non-null 32-bit integers, whose child column is {@link #INT32}. */
  INT32_LIST(Type.List, 0);

  /** The name of a list's child column, as Arrow Java and pyarrow write it. */
  static final String ITEM = "item";

  private final byte type;
  private final int width;

  ColumnType(byte type, int width) {
    this.type = type;
    this.width = width;
  }

  /** Bytes per row in the data buffer; 0 for columns of offsets (text, lists). */
  int width() {
    return width;
  }

  /**
   * Buffers per row batch (IPC order): validity, then offsets for text and lists, then data; a
   * list's child column has its own validity and data after the list's.
   */
  int buffers() {
    return switch (this) {
      case UTF8 -> 3;
      case INT32_LIST -> 2 + INT32.buffers();
      default -> 2;
    };
  }

  /** Field nodes per row batch: a list's child has its own. */
  int nodes() {
    return this == INT32_LIST ? 2 : 1;
  }

  /** Whether {@code field}'s type, its children's included, is this type. */
  boolean matches(Field field) {
    if (field.typeType() != type || field.dictionary() != null) {
      return false;
    }
    return switch (this) {
      case INT32, INT64 -> {
        Int integer = (Int) field.type(new Int());
        yield integer.isSigned() && integer.bitWidth() == width * Byte.SIZE;
      }
      case TIMESTAMP -> {
        Timestamp time = (Timestamp) field.type(new Timestamp());
        yield time.unit() == TimeUnit.MICROSECOND && "UTC".equals(time.timezone());
      }
      case ADDRESS, MAC ->
          ((FixedSizeBinary) field.type(new FixedSizeBinary())).byteWidth() == width;
      case UTF8 -> field.childrenLength() == 0;
      case INT32_LIST -> {
        Field item = field.childrenLength() == 1 ? field.children(0) : null;
        yield item != null && !item.nullable() && INT32.matches(item);
      }
    };
  }

  /** The type as Arrow Java prints it, for errors. */
  String arrowName() {
    return switch (this) {
      case INT32, INT64 -> "Int(" + width * Byte.SIZE + ", true)";
      case TIMESTAMP -> "Timestamp(MICROSECOND, UTC)";
      case UTF8 -> "Utf8";
      case ADDRESS, MAC -> "FixedSizeBinary(" + width + ")";
      case INT32_LIST -> "List<" + ITEM + ": " + INT32.arrowName() + " not null>";
    };
  }

  /** {@code field} as Arrow Java prints a field, for errors: {@code proto: Int(32, true)}. */
  static String describe(Field field) {
    String type =
        switch (field.typeType()) {
          case Type.Int -> {
            Int integer = (Int) field.type(new Int());
            yield "Int(" + integer.bitWidth() + ", " + integer.isSigned() + ")";
          }
          case Type.Timestamp -> {
            Timestamp time = (Timestamp) field.type(new Timestamp());
            yield "Timestamp("
                + (time.unit() >= 0 && time.unit() < TimeUnit.names.length
                    ? TimeUnit.names[time.unit()]
                    : time.unit())
                + ", "
                + time.timezone()
                + ")";
          }
          case Type.FixedSizeBinary ->
              "FixedSizeBinary("
                  + ((FixedSizeBinary) field.type(new FixedSizeBinary())).byteWidth()
                  + ")";
          case Type.List ->
              "List<" + (field.childrenLength() == 1 ? describe(field.children(0)) : "?") + ">";
          default ->
              field.typeType() >= 0 && field.typeType() < Type.names.length
                  ? Type.names[field.typeType()]
                  : "type " + field.typeType();
        };
    return field.name()
        + ": "
        + type
        + (field.dictionary() != null ? " dictionary-encoded" : "")
        + (field.nullable() ? "" : " not null");
  }
}

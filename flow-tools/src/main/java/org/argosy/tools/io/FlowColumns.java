package org.argosy.tools.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.avro.specific.SpecificFixed;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.argosy.avro.MacAddress;

/**
 * The columns of the columnar flow file: one Arrow column per {@link FlowRecord} field, named as
 * the Avro field, Avro's nullable unions as nullable columns, times as UTC microsecond timestamps,
 * addresses as 16- and 6-byte fixed binaries, the cause as its symbol. Each column knows how to
 * write a record's field and refill it, so writer and reader cannot disagree on the layout. Writing
 * goes through Arrow Java's vectors, reading through {@link FlowBatch}.
 */
public final class FlowColumns {

  /** A column's name, type and whether it has nulls: what a file's schema must say of it. */
  record Layout(String name, ColumnType type, boolean nullable) {
    boolean matches(Field field) {
      return name.equals(field.name()) && nullable == field.nullable() && type.matches(field);
    }

    /** As Arrow Java prints a field, for errors: {@code seq: Int(64, true) not null}. */
    @Override
    public String toString() {
      return name + ": " + type.arrowName() + (nullable ? "" : " not null");
    }
  }

  /** One column: its layout and how a record's value goes in and comes out. */
  private interface Column {
    Layout layout();

    void write(FieldVector vector, int row, FlowRecord record);

    /**
     * Sets the record's field from row {@code row} of column {@code column}; a reader refills one
     * record through these.
     */
    void read(FlowBatch batch, int column, int row, FlowRecord record);
  }

  /**
   * A new set of the columns: the text columns keep the last value they read, so each reader (and
   * each thread) has its own.
   */
  private static List<Column> columns() {
    return List.of(
        text("site", FlowRecord::getSite, FlowRecord::setSite),
        text("sensorId", FlowRecord::getSensorId, FlowRecord::setSensorId),
        text("iface", FlowRecord::getIface, FlowRecord::setIface),
        int64("seq", FlowRecord::getSeq, FlowRecord::setSeq),
        time("stime", FlowRecord::getStime, FlowRecord::setStime),
        time("ltime", FlowRecord::getLtime, FlowRecord::setLtime),
        text("cause", r -> r.getCause().name(), (r, s) -> r.setCause(FlowCause.valueOf(s))),
        int32("etherType", false, FlowRecord::getEtherType, FlowRecord::setEtherType),
        int32("proto", true, FlowRecord::getProto, FlowRecord::setProto),
        address("saddr", FlowRecord::getSaddr, FlowRecord::setSaddr),
        address("daddr", FlowRecord::getDaddr, FlowRecord::setDaddr),
        int32("sport", true, FlowRecord::getSport, FlowRecord::setSport),
        int32("dport", true, FlowRecord::getDport, FlowRecord::setDport),
        int32("icmpType", true, FlowRecord::getIcmpType, FlowRecord::setIcmpType),
        int32("icmpCode", true, FlowRecord::getIcmpCode, FlowRecord::setIcmpCode),
        int32("icmpId", true, FlowRecord::getIcmpId, FlowRecord::setIcmpId),
        mac("smac", FlowRecord::getSmac, FlowRecord::setSmac),
        mac("dmac", FlowRecord::getDmac, FlowRecord::setDmac),
        intList("vlanIds", FlowRecord::getVlanIds, FlowRecord::setVlanIds),
        intList("mplsLabels", FlowRecord::getMplsLabels, FlowRecord::setMplsLabels),
        int32("stos", true, FlowRecord::getStos, FlowRecord::setStos),
        int32("dtos", true, FlowRecord::getDtos, FlowRecord::setDtos),
        int32("sttl", true, FlowRecord::getSttl, FlowRecord::setSttl),
        int32("dttl", true, FlowRecord::getDttl, FlowRecord::setDttl),
        int64("spkts", FlowRecord::getSpkts, FlowRecord::setSpkts),
        int64("dpkts", FlowRecord::getDpkts, FlowRecord::setDpkts),
        int64("sbytes", FlowRecord::getSbytes, FlowRecord::setSbytes),
        int64("dbytes", FlowRecord::getDbytes, FlowRecord::setDbytes),
        int64("sappbytes", FlowRecord::getSappbytes, FlowRecord::setSappbytes),
        int64("dappbytes", FlowRecord::getDappbytes, FlowRecord::setDappbytes),
        text("state", FlowRecord::getState, FlowRecord::setState),
        text("direction", FlowRecord::getDirection, FlowRecord::setDirection),
        int32("flags", false, FlowRecord::getFlags, FlowRecord::setFlags),
        nullableInt64("synAckMicros", FlowRecord::getSynAckMicros, FlowRecord::setSynAckMicros),
        nullableInt64("ackDatMicros", FlowRecord::getAckDatMicros, FlowRecord::setAckDatMicros));
  }

  private static final List<Column> WRITING = columns();

  /** The file's columns in order; a file whose schema differs is not read. */
  static final List<Layout> LAYOUT = WRITING.stream().map(Column::layout).toList();

  private FlowColumns() {}

  /** Writes {@code record} into row {@code row} of {@code root}, growing its vectors. */
  static void write(VectorSchemaRoot root, int row, FlowRecord record) {
    for (int i = 0; i < WRITING.size(); i++) {
      WRITING.get(i).write(root.getVector(i), row, record);
    }
  }

  /**
   * Fills records from rows of batches of {@link #LAYOUT}, every column or some; one per reader and
   * thread.
   */
  public static final class Rows {
    private final List<Column> columns;
    private final int[] indexes;

    /** Reads every column. */
    Rows() {
      this(LAYOUT.stream().map(Layout::name).toList());
    }

    /**
     * Reads only the columns named, leaving the record's other fields as they are: a reader that
     * needs a few fields touches only their pages of a mapped file.
     *
     * @throws IllegalArgumentException for a name that is no column
     */
    public Rows(Collection<String> names) {
      List<Column> all = columns();
      indexes = names.stream().distinct().mapToInt(FlowColumns::index).sorted().toArray();
      columns = Arrays.stream(indexes).mapToObj(all::get).toList();
    }

    /** Reads every column that {@code this} does not. */
    public Rows others() {
      return new Rows(
          LAYOUT.stream()
              .map(Layout::name)
              .filter(name -> Arrays.binarySearch(indexes, index(name)) < 0)
              .toList());
    }

    /**
     * Refills {@code record} from row {@code row} of {@code batch}. Fixed objects (addresses)
     * already in the record are refilled, not replaced, as Avro's generated decoder does.
     */
    void read(FlowBatch batch, int row, FlowRecord record) {
      for (int i = 0; i < indexes.length; i++) {
        columns.get(i).read(batch, indexes[i], row, record);
      }
    }
  }

  /**
   * What is wrong with a file's schema, read from the file's footer, or null when it is {@link
   * #LAYOUT}.
   */
  static String problem(Schema schema) {
    List<String> differences = new ArrayList<>();
    for (Layout expected : LAYOUT) {
      Field found = null;
      for (int i = 0; i < schema.fieldsLength() && found == null; i++) {
        Field field = schema.fields(i);
        found = expected.name().equals(field.name()) ? field : null;
      }
      if (found == null) {
        differences.add("no column " + expected.name());
      } else if (found.dictionary() != null) {
        differences.add("column " + expected.name() + " is dictionary-encoded");
      } else if (!expected.matches(found)) {
        differences.add("column " + ColumnType.describe(found) + ", expected " + expected);
      }
    }
    if (!differences.isEmpty()) {
      return String.join("; ", differences);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < schema.fieldsLength(); i++) {
      names.add(schema.fields(i).name());
    }
    return names.equals(LAYOUT.stream().map(Layout::name).toList())
        ? null
        : "columns in another order or extra columns: " + names;
  }

  /** The index of column {@code name} in {@link #LAYOUT}. */
  public static int index(String name) {
    for (int i = 0; i < LAYOUT.size(); i++) {
      if (LAYOUT.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no flow column " + name);
  }

  private static Column int64(
      String name, ToLongFunction<FlowRecord> getter, ObjLongConsumer<FlowRecord> setter) {
    return longColumn(new Layout(name, ColumnType.INT64, false), getter, setter);
  }

  private static Column time(
      String name, ToLongFunction<FlowRecord> getter, ObjLongConsumer<FlowRecord> setter) {
    return longColumn(new Layout(name, ColumnType.TIMESTAMP, false), getter, setter);
  }

  /** Timestamps and 64-bit integers are both 8-byte little-endian values in the data buffer. */
  private static Column longColumn(
      Layout layout, ToLongFunction<FlowRecord> getter, ObjLongConsumer<FlowRecord> setter) {
    return new Column() {
      @Override
      public Layout layout() {
        return layout;
      }

      @Override
      public void write(FieldVector vector, int row, FlowRecord record) {
        long value = getter.applyAsLong(record);
        if (vector instanceof TimeStampMicroTZVector times) {
          times.setSafe(row, value);
        } else {
          ((BigIntVector) vector).setSafe(row, value);
        }
      }

      @Override
      public void read(FlowBatch batch, int column, int row, FlowRecord record) {
        setter.accept(record, batch.longAt(column, row));
      }
    };
  }

  private static Column nullableInt64(
      String name, Function<FlowRecord, Long> getter, BiConsumer<FlowRecord, Long> setter) {
    return nullable(
        new Layout(name, ColumnType.INT64, true),
        getter,
        setter,
        (vector, row, value) -> ((BigIntVector) vector).setSafe(row, value),
        (batch, column, row, record) -> batch.longAt(column, row));
  }

  private static Column int32(
      String name,
      boolean nullable,
      Function<FlowRecord, Integer> getter,
      BiConsumer<FlowRecord, Integer> setter) {
    return nullable(
        new Layout(name, ColumnType.INT32, nullable),
        getter,
        setter,
        (vector, row, value) -> ((IntVector) vector).setSafe(row, value),
        (batch, column, row, record) -> batch.intAt(column, row));
  }

  /** Sets a row of a fixed-width vector to a value. */
  private interface Store<T> {
    void set(FieldVector vector, int row, T value);
  }

  /** Reads a non-null row of a fixed-width column into a value for {@code record}. */
  private interface Load<T> {
    T get(FlowBatch batch, int column, int row, FlowRecord record);
  }

  /** A fixed-width column whose null rows are Avro's null (a required field has none). */
  private static <T> Column nullable(
      Layout layout,
      Function<FlowRecord, T> getter,
      BiConsumer<FlowRecord, T> setter,
      Store<T> store,
      Load<T> load) {
    return new Column() {
      @Override
      public Layout layout() {
        return layout;
      }

      @Override
      public void write(FieldVector vector, int row, FlowRecord record) {
        T value = getter.apply(record);
        if (value == null) {
          ((BaseFixedWidthVector) vector).setNull(row);
        } else {
          store.set(vector, row, value);
        }
      }

      @Override
      public void read(FlowBatch batch, int column, int row, FlowRecord record) {
        setter.accept(
            record, batch.isNull(column, row) ? null : load.get(batch, column, row, record));
      }
    };
  }

  private static Column text(
      String name, Function<FlowRecord, String> getter, BiConsumer<FlowRecord, String> setter) {
    Layout layout = new Layout(name, ColumnType.UTF8, false);
    return new Column() {
      // the last value read, kept while rows repeat it (sites, states): no String per row
      private byte[] lastBytes = new byte[0];
      private String last = "";

      @Override
      public Layout layout() {
        return layout;
      }

      @Override
      public void write(FieldVector vector, int row, FlowRecord record) {
        ((VarCharVector) vector)
            .setSafe(row, getter.apply(record).getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public void read(FlowBatch batch, int column, int row, FlowRecord record) {
        byte[] bytes = batch.textAt(column, row);
        if (!Arrays.equals(bytes, lastBytes)) {
          lastBytes = bytes;
          last = new String(bytes, StandardCharsets.UTF_8);
        }
        setter.accept(record, last);
      }
    };
  }

  private static Column address(
      String name,
      Function<FlowRecord, IpAddress> getter,
      BiConsumer<FlowRecord, IpAddress> setter) {
    return fixed(name, ColumnType.ADDRESS, getter, setter, IpAddress::new);
  }

  private static Column mac(
      String name,
      Function<FlowRecord, MacAddress> getter,
      BiConsumer<FlowRecord, MacAddress> setter) {
    return fixed(name, ColumnType.MAC, getter, setter, MacAddress::new);
  }

  /**
   * A nullable fixed-size binary column of an Avro fixed type as wide as the column's type; the
   * record's own fixed object is refilled when it has one.
   */
  private static <F extends SpecificFixed> Column fixed(
      String name,
      ColumnType type,
      Function<FlowRecord, F> getter,
      BiConsumer<FlowRecord, F> setter,
      Supplier<F> create) {
    return nullable(
        new Layout(name, type, true),
        getter,
        setter,
        (vector, row, value) -> ((FixedSizeBinaryVector) vector).setSafe(row, value.bytes()),
        (batch, column, row, record) -> {
          F value = getter.apply(record);
          if (value == null) {
            value = create.get();
          }
          batch.fixedAt(column, row, value.bytes());
          return value;
        });
  }

  private static Column intList(
      String name,
      Function<FlowRecord, List<Integer>> getter,
      BiConsumer<FlowRecord, List<Integer>> setter) {
    Layout layout = new Layout(name, ColumnType.INT32_LIST, false);
    return new Column() {
      @Override
      public Layout layout() {
        return layout;
      }

      @Override
      public void write(FieldVector vector, int row, FlowRecord record) {
        ListVector list = (ListVector) vector;
        List<Integer> values = getter.apply(record);
        int start = list.startNewValue(row);
        IntVector items = (IntVector) list.getDataVector();
        for (int i = 0; i < values.size(); i++) {
          items.setSafe(start + i, values.get(i));
        }
        list.endValue(row, values.size());
      }

      @Override
      public void read(FlowBatch batch, int column, int row, FlowRecord record) {
        int start = batch.itemsStart(column, row);
        int end = batch.itemsEnd(column, row);
        if (start == end) {
          setter.accept(record, List.of());
          return;
        }
        List<Integer> values = new ArrayList<>(Math.max(0, end - start));
        for (int i = start; i < end; i++) {
          values.add(batch.itemAt(column, i));
        }
        setter.accept(record, values);
      }
    };
  }
}

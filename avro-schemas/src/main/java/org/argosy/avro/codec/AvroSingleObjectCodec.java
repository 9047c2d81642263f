package org.argosy.avro.codec;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker C3 01, 8-byte little-endian CRC-64-AVRO fingerprint, binary
 * body) of one generated record class, as every Kafka topic of the project carries it. Decoding
 * resolves every schema version in {@link SchemaHistory}, so a reader understands older writers.
 * Thread-safe.
 *
 * <p>Decoding is on the path of every record a job reads, so it does not go through Avro's {@code
 * BinaryMessageDecoder}, which reads the body through an {@code InputStream}, one synchronized
 * {@code read()} per byte, and fills the record field by field through the generic {@code put},
 * making each fixed value (an address) by reflection. Here a buffered {@link BinaryDecoder} (one
 * per thread, reused) reads the body from the array, and the generated class decodes itself with
 * its own code ({@code customDecode}, which Avro calls only when the model has custom coders on):
 * direct field assignments and constructors. Schema resolution stays Avro's: the reader of each
 * known writer schema hands {@code customDecode} a {@code ResolvingDecoder} that gives the fields
 * in the writer's order and fills in the defaults of fields the writer did not have.
 */
public final class AvroSingleObjectCodec<T extends SpecificRecord> {

  private static final byte[] MARKER = {(byte) 0xC3, 0x01};
  private static final int HEADER_LENGTH = MARKER.length + Long.BYTES;
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The decoder of the calling thread, pointed at each payload in turn. */
  private static final ThreadLocal<BinaryDecoder> DECODER =
      ThreadLocal.withInitial(() -> DecoderFactory.get().binaryDecoder(new byte[0], null));

  static {
    AvroDecodingLimits.install();
  }

  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;

  /** The fingerprints of the writer schemas this codec reads, the current one first. */
  private final long[] writerFingerprints;

  /** The reader of each writer schema, at the index of its fingerprint. */
  private final List<DatumReader<T>> readers;

  private AvroSingleObjectCodec(Class<T> type, List<Schema> otherWriters) {
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    SpecificData decoding = customDecoding(model, type.getClassLoader());
    List<Schema> writers = new ArrayList<>();
    writers.add(schema);
    writers.addAll(otherWriters);
    long[] fingerprints = new long[writers.size()];
    List<DatumReader<T>> readers = new ArrayList<>();
    int known = 0;
    for (Schema writer : writers) {
      long fingerprint = SchemaNormalization.parsingFingerprint64(writer);
      if (indexOf(fingerprints, known, fingerprint) < 0) {
        fingerprints[known++] = fingerprint;
        readers.add(new SpecificDatumReader<>(writer, schema, decoding));
      }
    }
    this.writerFingerprints = Arrays.copyOf(fingerprints, known);
    this.readers = List.copyOf(readers);
  }

  /** A codec of {@code type} that reads its current schema and every version in its history. */
  public static <T extends SpecificRecord> AvroSingleObjectCodec<T> forClass(Class<T> type) {
    String name = SpecificData.getForClass(type).getSchema(type).getName();
    return forClass(type, SchemaHistory.versionsOf(name));
  }

  /** A codec of {@code type} that reads its current schema and {@code otherWriters}. */
  static <T extends SpecificRecord> AvroSingleObjectCodec<T> forClass(
      Class<T> type, List<Schema> otherWriters) {
    return new AvroSingleObjectCodec<>(type, otherWriters);
  }

  /** The schema this codec writes and reads into. */
  public Schema schema() {
    return schema;
  }

  /** CRC-64-AVRO fingerprint of the written schema, as in the payload header. */
  public long fingerprint() {
    return writerFingerprints[0];
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      return Arrays.copyOfRange(
          buffer.array(),
          buffer.arrayOffset() + buffer.position(),
          buffer.arrayOffset() + buffer.limit());
    } catch (IOException e) {
      throw new IllegalStateException("encoding into memory failed", e);
    }
  }

  public T decode(byte[] payload) throws RecordDecodingException {
    if (payload == null
        || payload.length < HEADER_LENGTH
        || payload[0] != MARKER[0]
        || payload[1] != MARKER[1]) {
      throw new RecordDecodingException(
          RecordDecodingException.Reason.BAD_HEADER,
          "not an Avro single-object payload (no C3 01 marker and fingerprint)",
          null);
    }
    long fingerprint = (long) LITTLE_ENDIAN_LONG.get(payload, MARKER.length);
    int writer = indexOf(writerFingerprints, writerFingerprints.length, fingerprint);
    if (writer < 0) {
      throw new RecordDecodingException(
          RecordDecodingException.Reason.UNKNOWN_SCHEMA,
          "unknown " + schema.getName() + " schema fingerprint " + fingerprintHex(payload),
          null);
    }
    try {
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(payload, HEADER_LENGTH, payload.length - HEADER_LENGTH, DECODER.get());
      DECODER.set(decoder);
      return readers.get(writer).read(null, decoder);
    } catch (IOException | RuntimeException e) {
      // A truncated or corrupt body surfaces as any of these from Avro's binary decoder.
      throw new RecordDecodingException(
          RecordDecodingException.Reason.CORRUPT_BODY,
          "corrupt " + schema.getName() + " body: " + e,
          e);
    }
  }

  /**
   * A model like {@code generated} (the generated class's own, with its logical type conversions)
   * that decodes with the generated classes' custom coders. Avro's fast reader, on by default,
   * never calls them, so it is off here. A model of the codec's own: the generated one is shared.
   */
  private static SpecificData customDecoding(SpecificData generated, ClassLoader classLoader) {
    SpecificData model = new SpecificData(classLoader);
    generated.getConversions().forEach(model::addLogicalTypeConversion);
    model.setCustomCoders(true);
    model.setFastReaderEnabled(false);
    return model;
  }

  /** Where {@code value} is among the first {@code length} of {@code values}, or -1. */
  private static int indexOf(long[] values, int length, long value) {
    for (int i = 0; i < length; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static String fingerprintHex(byte[] payload) {
    StringBuilder hex = new StringBuilder();
    for (int i = MARKER.length; i < HEADER_LENGTH; i++) {
      hex.append(String.format("%02x", payload[i]));
    }
    return hex.toString();
  }
}

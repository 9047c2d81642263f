package org.argosy.avro.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker C3 01, 8-byte CRC-64-AVRO fingerprint, binary body) of one
 * generated record class, as every Kafka topic of the project carries it. Decoding resolves every
 * schema version in {@link SchemaHistory}, so a reader understands older writers. Thread-safe.
 */
public final class AvroSingleObjectCodec<T extends SpecificRecord> {

  private static final byte[] MARKER = {(byte) 0xC3, 0x01};

  static {
    AvroDecodingLimits.install();
  }

  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroSingleObjectCodec(Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    SchemaStore.Cache knownWriters = new SchemaStore.Cache();
    SchemaHistory.versionsOf(schema.getName()).forEach(knownWriters::addSchema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, knownWriters);
  }

  public static <T extends SpecificRecord> AvroSingleObjectCodec<T> forClass(Class<T> type) {
    return new AvroSingleObjectCodec<>(type);
  }

  /** The schema this codec writes and reads into. */
  public Schema schema() {
    return schema;
  }

  /** CRC-64-AVRO fingerprint of the written schema, as in the payload header. */
  public long fingerprint() {
    return SchemaNormalization.parsingFingerprint64(schema);
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
        || payload.length < 10
        || payload[0] != MARKER[0]
        || payload[1] != MARKER[1]) {
      throw new RecordDecodingException(
          RecordDecodingException.Reason.BAD_HEADER,
          "not an Avro single-object payload (no C3 01 marker and fingerprint)",
          null);
    }
    try {
      return decoder.decode(payload);
    } catch (MissingSchemaException e) {
      throw new RecordDecodingException(
          RecordDecodingException.Reason.UNKNOWN_SCHEMA,
          "unknown " + schema.getName() + " schema fingerprint " + fingerprintHex(payload),
          e);
    } catch (BadHeaderException e) {
      throw new RecordDecodingException(
          RecordDecodingException.Reason.BAD_HEADER, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // A truncated or corrupt body surfaces as any of these from Avro's binary decoder.
      throw new RecordDecodingException(
          RecordDecodingException.Reason.CORRUPT_BODY,
          "corrupt " + schema.getName() + " body: " + e,
          e);
    }
  }

  private static String fingerprintHex(byte[] payload) {
    StringBuilder hex = new StringBuilder();
    for (int i = 2; i < 10; i++) {
      hex.append(String.format("%02x", payload[i]));
    }
    return hex.toString();
  }
}

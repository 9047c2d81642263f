package org.argosy.tools.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.file.Codec;
import org.apache.avro.file.ContainerCodecs;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.argosy.tools.io.FlowFiles.FlowFileException;

/**
 * Reads an Avro object container file of flow records or aggregates block by block. Avro's own
 * stream reader takes a file cut short in a block for a clean end; this one checks every block's
 * length and sync marker, so a truncated or corrupt file is an error that names the file, the block
 * and the byte offset, after the records of the whole blocks before it have been delivered.
 */
public final class ContainerFileReader {

  private static final int MAX_BLOCK_BYTES = 64 << 20;

  /**
   * Decodes with the generated classes' own {@code customDecode} (schema resolution included)
   * rather than Avro's generic fast reader, which creates every fixed (address) by reflection and
   * cannot refill a record (BENCHMARKS.md, "Operator tools vs Argus and nfdump").
   */
  private static final SpecificData DECODING = customCoders();

  private final String name;
  private final CountingInput in;
  private final BinaryDecoder decoder;
  private final Schema writer;
  private final String codecName;
  private final byte[] sync = new byte[DataFileConstants.SYNC_SIZE];
  private long records;
  private long blocks;

  /** Reads the file's header: what it holds and how its blocks are compressed. */
  public ContainerFileReader(String name, InputStream stream) throws FlowFileException {
    this.name = name;
    this.in = new CountingInput(stream);
    this.decoder = DecoderFactory.get().directBinaryDecoder(in, null);
    try {
      byte[] magic = new byte[DataFileConstants.MAGIC.length];
      decoder.readFixed(magic);
      if (!Arrays.equals(magic, DataFileConstants.MAGIC)) {
        throw damaged("not an Avro container file (no 'Obj' magic)", null);
      }
      Map<String, byte[]> metadata = readMetadata();
      this.writer = new Schema.Parser().parse(text(metadata, DataFileConstants.SCHEMA));
      this.codecName = codecName(metadata);
      decoder.readFixed(sync);
    } catch (IOException | AvroRuntimeException e) {
      throw damaged("unreadable header: " + e.getMessage(), e);
    }
  }

  /** The name of the record type the file holds, e.g. FlowRecord or FlowAggregate. */
  public String recordType() {
    return writer.getName();
  }

  public long records() {
    return records;
  }

  /**
   * Hands every record to {@code sink} as {@code type}, resolving the file's schema version.
   *
   * @throws FlowFileException when the file holds another record type, or is cut short or corrupt
   */
  public <T extends SpecificRecord> void readAll(Class<T> type, Consumer<T> sink)
      throws FlowFileException {
    read(type, sink, false);
  }

  /**
   * As {@link #readAll}, but refills one object for every record, for a sink that keeps nothing of
   * the record it is handed (it may keep values read from it).
   */
  public <T extends SpecificRecord> void readEach(Class<T> type, Consumer<T> sink)
      throws FlowFileException {
    read(type, sink, true);
  }

  private <T extends SpecificRecord> void read(Class<T> type, Consumer<T> sink, boolean reuse)
      throws FlowFileException {
    BlockDecoder<T> blockDecoder = decoder(type);
    for (Block block = nextBlock(); block != null; block = nextBlock()) {
      blockDecoder.decode(block, sink, reuse);
      records += block.count();
    }
  }

  /**
   * One block as it lies in the file: its number (from 0), the byte it starts at, how many records
   * it holds and their bytes, still compressed.
   */
  public record Block(long number, long offset, long count, byte[] data) {}

  /**
   * The next block, its header and sync marker checked, or null at a clean end of the file. Blocks
   * are independent: {@link BlockDecoder}s on other threads may decode them.
   *
   * @throws FlowFileException when the file is cut short or a block is corrupt
   */
  public Block nextBlock() throws FlowFileException {
    try {
      if (in.peekEnd()) {
        return null;
      }
      long offset = in.count();
      long count = decoder.readLong();
      long size = decoder.readLong();
      if (count < 0 || size < 0 || size > MAX_BLOCK_BYTES) {
        throw damaged("corrupt block header at byte " + offset, null);
      }
      byte[] data = new byte[(int) size];
      decoder.readFixed(data);
      byte[] blockSync = new byte[DataFileConstants.SYNC_SIZE];
      decoder.readFixed(blockSync);
      if (!Arrays.equals(sync, blockSync)) {
        throw damaged("block at byte " + offset + " has a wrong sync marker", null);
      }
      return new Block(blocks++, offset, count, data);
    } catch (EOFException e) {
      throw damaged("cut short at byte " + in.count() + ", in block " + (blocks + 1), e);
    } catch (IOException | AvroRuntimeException e) {
      throw damaged(e.getMessage(), e);
    }
  }

  /**
   * A decoder of this file's blocks into {@code type}, resolving the file's schema version: one per
   * thread, since a codec and a datum reader keep state between calls.
   *
   * @throws FlowFileException when the file holds another record type
   */
  public <T extends SpecificRecord> BlockDecoder<T> decoder(Class<T> type)
      throws FlowFileException {
    Schema reader = DECODING.getSchema(type);
    if (!reader.getName().equals(writer.getName())) {
      throw damaged("holds " + writer.getName() + " records, not " + reader.getName(), null);
    }
    return new BlockDecoder<>(
        ContainerCodecs.forName(codecName), new SpecificDatumReader<>(writer, reader, DECODING));
  }

  /** Decodes blocks of one file ({@link #decoder}). */
  public final class BlockDecoder<T extends SpecificRecord> {
    private final Codec codec;
    private final SpecificDatumReader<T> datumReader;
    private BinaryDecoder blockDecoder;
    private T record;

    private BlockDecoder(Codec codec, SpecificDatumReader<T> datumReader) {
      this.codec = codec;
      this.datumReader = datumReader;
    }

    /**
     * Hands the records of {@code block} to {@code sink}, in one refilled object when {@code reuse}
     * (for a sink that keeps nothing of the record it is handed).
     *
     * @throws FlowFileException naming the file and the block when it does not decode
     */
    public void decode(Block block, Consumer<T> sink, boolean reuse) throws FlowFileException {
      try {
        ByteBuffer plain = codec.decompress(ByteBuffer.wrap(block.data()));
        blockDecoder =
            DecoderFactory.get()
                .binaryDecoder(
                    plain.array(),
                    plain.arrayOffset() + plain.position(),
                    plain.remaining(),
                    blockDecoder);
        for (long i = 0; i < block.count(); i++) {
          record = datumReader.read(reuse ? record : null, blockDecoder);
          sink.accept(record);
        }
      } catch (IOException | AvroRuntimeException e) {
        throw new FlowFileException(
            name
                + ": block "
                + (block.number() + 1)
                + " at byte "
                + block.offset()
                + " unreadable: "
                + e.getMessage(),
            e);
      }
    }
  }

  private static SpecificData customCoders() {
    SpecificData data = new SpecificData();
    data.setCustomCoders(true);
    data.setFastReaderEnabled(false);
    return data;
  }

  private Map<String, byte[]> readMetadata() throws IOException {
    Map<String, byte[]> metadata = new HashMap<>();
    for (long entries = decoder.readMapStart(); entries != 0; entries = decoder.mapNext()) {
      for (long i = 0; i < entries; i++) {
        String key = decoder.readString();
        ByteBuffer value = decoder.readBytes(null);
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        metadata.put(key, bytes);
      }
    }
    return metadata;
  }

  /** The codec the header names, checked to be one this Avro knows. */
  private String codecName(Map<String, byte[]> metadata) throws FlowFileException {
    byte[] codecName = metadata.get(DataFileConstants.CODEC);
    String codec =
        codecName == null
            ? DataFileConstants.NULL_CODEC
            : new String(codecName, StandardCharsets.UTF_8);
    try {
      ContainerCodecs.forName(codec);
      return codec;
    } catch (AvroRuntimeException e) {
      throw damaged("unsupported compression codec '" + codec + "'", e);
    }
  }

  private String text(Map<String, byte[]> metadata, String key) throws FlowFileException {
    byte[] value = metadata.get(key);
    if (value == null) {
      throw damaged("no " + key + " in the file header", null);
    }
    return new String(value, StandardCharsets.UTF_8);
  }

  private FlowFileException damaged(String what, Throwable cause) {
    return new FlowFileException(
        name + ": " + what + " (" + records + " records read before)", cause);
  }

  /** Counts bytes read and can tell a clean end of input between blocks. */
  private static final class CountingInput extends InputStream {
    private final InputStream in;
    private long count;
    private int peeked = -2;

    CountingInput(InputStream in) {
      this.in = in;
    }

    long count() {
      return count;
    }

    boolean peekEnd() throws IOException {
      if (peeked == -2) {
        peeked = in.read();
      }
      return peeked < 0;
    }

    @Override
    public int read() throws IOException {
      int b;
      if (peeked != -2) {
        b = peeked;
        peeked = -2;
      } else {
        b = in.read();
      }
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (peeked != -2) {
        if (peeked < 0) {
          return -1;
        }
        buffer[offset] = (byte) peeked;
        peeked = -2;
        count++;
        int more = Math.max(0, in.read(buffer, offset + 1, length - 1));
        count += more;
        return 1 + more;
      }
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}

package org.argosy.tools.io;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes records as an Avro container file, Zstandard-compressed like the sensor's files, the
 * counterpart of {@link ContainerFileReader}: racluster's aggregates, the binary form {@code rasort
 * -r} reads (from a file or a pipe), and the resident process's made-up flow files.
 */
public final class ContainerFileWriter {

  private static final int ZSTD_LEVEL = 3;

  private ContainerFileWriter() {}

  /** Writes {@code records} of {@code schema} (a generated class's) to {@code out}. */
  public static <T extends SpecificRecord> void write(
      OutputStream out, Schema schema, Iterable<T> records) throws IOException {
    try (DataFileWriter<T> writer = new DataFileWriter<>(new SpecificDatumWriter<>(schema))) {
      writer.setCodec(CodecFactory.zstandardCodec(ZSTD_LEVEL));
      writer.create(schema, out);
      for (T record : records) {
        writer.append(record);
      }
    }
  }
}

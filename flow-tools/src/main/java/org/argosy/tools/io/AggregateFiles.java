package org.argosy.tools.io;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.argosy.avro.FlowAggregate;

/**
 * Writes racluster's output as an Avro container file of {@link FlowAggregate}, the binary form
 * {@code rasort -r} reads (from a file or a pipe), Zstandard-compressed like the sensor's files.
 */
public final class AggregateFiles {

  private static final int ZSTD_LEVEL = 3;

  private AggregateFiles() {}

  public static void write(OutputStream out, Iterable<FlowAggregate> aggregates)
      throws IOException {
    try (DataFileWriter<FlowAggregate> writer =
        new DataFileWriter<>(new SpecificDatumWriter<>(FlowAggregate.class))) {
      writer.setCodec(CodecFactory.zstandardCodec(ZSTD_LEVEL));
      writer.create(FlowAggregate.getClassSchema(), out);
      for (FlowAggregate aggregate : aggregates) {
        writer.append(aggregate);
      }
    }
  }
}

package org.argosy.cli.sensor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.publish.FileFlowRecordSink;
import org.argosy.tools.io.ArrowFlowFiles;

/**
 * Writes flow records to a columnar flow file ({@code sensor -w FILE.arrow}), the file racluster
 * reads fastest, without a conversion by {@code ra -w}. The file is complete, with the footer that
 * indexes its batches, only when the sensor stops: for a file read while capturing, use Avro.
 */
final class ArrowFileFlowRecordSink extends FileFlowRecordSink {

  private final ArrowFlowFiles.Writer writer;

  /** Creates (or truncates) {@code file}. */
  ArrowFileFlowRecordSink(Path file) throws IOException {
    super(file);
    this.writer =
        new ArrowFlowFiles.Writer(
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
  }

  @Override
  protected void write(FlowRecord record) throws IOException {
    writer.add(record);
  }

  @Override
  protected void store() throws IOException {
    writer.flush();
  }

  @Override
  protected void complete() throws IOException {
    writer.close();
  }
}

package org.argosy.cli.sensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.publish.FlowRecordSink;
import org.argosy.tools.io.ArrowFlowFiles;

/**
 * Writes flow records to a columnar flow file ({@code sensor -w FILE.arrow}), the file racluster
 * reads fastest, without a conversion by {@code ra -w}. The file is complete, with the footer that
 * indexes its batches, only when the sensor stops: for a file read while capturing, use Avro.
 */
final class ArrowFileFlowRecordSink implements FlowRecordSink {

  private final Path file;
  private final ArrowFlowFiles.Writer writer;

  /** Creates (or truncates) {@code file}. */
  ArrowFileFlowRecordSink(Path file) throws IOException {
    this.file = file;
    this.writer =
        new ArrowFlowFiles.Writer(
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
  }

  @Override
  public void send(FlowRecord record, long conversationHash) {
    try {
      writer.add(record);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write flow records to " + file, e);
    }
  }

  @Override
  public void flush() {
    try {
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write flow records to " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}

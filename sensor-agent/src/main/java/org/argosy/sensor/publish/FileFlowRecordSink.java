package org.argosy.sensor.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.argosy.avro.FlowRecord;

/**
 * A sink that writes flow records into one file, in whichever format a subclass writes: an I/O
 * error stops the sensor as an unchecked error that names the file.
 */
public abstract class FileFlowRecordSink implements FlowRecordSink {

  private final Path file;

  protected FileFlowRecordSink(Path file) {
    this.file = file;
  }

  /** Appends one record; it may be refilled as soon as this returns. */
  protected abstract void write(FlowRecord record) throws IOException;

  /** Stores every record written so far. */
  protected abstract void store() throws IOException;

  /** Completes the file and closes it. */
  protected abstract void complete() throws IOException;

  @Override
  public final void send(FlowRecord record, long conversationHash) {
    try {
      write(record);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write flow records to " + file, e);
    }
  }

  @Override
  public final void flush() {
    try {
      store();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write flow records to " + file, e);
    }
  }

  @Override
  public final void close() {
    try {
      complete();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}

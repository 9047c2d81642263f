package org.argosy.tools.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.argosy.avro.FlowRecord;
import org.argosy.query.filter.FlowFilter;

/**
 * Reads flow files: Avro object container files of {@link FlowRecord}, as {@code argosy sensor -w}
 * and {@code racluster -w} write them, and columnar flow files ({@link ArrowFlowFiles}, as {@code
 * ra -w} writes them), told apart by their first bytes, from paths, directories or standard input
 * ({@code -}). An Avro file's schema is resolved against the current one, so older files stay
 * readable.
 */
public final class FlowFiles {

  /** A flow file that cannot be read to its end; the message names the file and record. */
  public static final class FlowFileException extends Exception {
    public FlowFileException(String message, Throwable cause) {
      super(message, cause);
    }

    /**
     * {@code source} could not be read: the message says why in words (the JDK's exceptions for a
     * missing or forbidden file carry only the file's name).
     */
    public static FlowFileException cannotRead(String source, IOException e) {
      String why =
          e instanceof NoSuchFileException
              ? "no such file"
              : e instanceof AccessDeniedException
                  ? "permission denied"
                  : Files.isDirectory(Path.of(source))
                      ? "a directory, not a flow file (-R DIR reads the files under one)"
                      : e.getMessage();
      return new FlowFileException("cannot read " + source + ": " + why, e);
    }
  }

  private FlowFiles() {}

  /** The files under {@code directory}, recursively, in name order. */
  public static List<Path> under(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /**
   * Hands every record of {@code source} ("-" is standard input) to {@code sink}, in file order.
   *
   * @return the number of records read
   * @throws FlowFileException when the input is not a flow file or is cut short; records before the
   *     damage have been handed over
   */
  public static long read(String source, Consumer<FlowRecord> sink) throws FlowFileException {
    return read(source, FlowFilter.all(), sink, false);
  }

  /**
   * As {@link #read(String, Consumer)}, refilling one record object for every record: for a sink
   * that keeps nothing of the record it is handed.
   */
  public static long readEach(String source, Consumer<FlowRecord> sink) throws FlowFileException {
    return read(source, FlowFilter.all(), sink, true);
  }

  /**
   * Hands the records of {@code source} that pass {@code filter} to {@code sink}, in file order,
   * refilling one record object when {@code reuse}. A columnar file is filtered on the columns the
   * filter reads before the others are read.
   *
   * @return the number of records read, passed or not
   */
  public static long read(
      String source, FlowFilter filter, Consumer<FlowRecord> sink, boolean reuse)
      throws FlowFileException {
    return read(source, System.in, filter, sink, reuse);
  }

  /** As {@link #read(String, FlowFilter, Consumer, boolean)}, "-" reading {@code standardInput}. */
  public static long read(
      String source,
      InputStream standardInput,
      FlowFilter filter,
      Consumer<FlowRecord> sink,
      boolean reuse)
      throws FlowFileException {
    Consumer<FlowRecord> passing = filter.passing(sink);
    try (InputStream in =
        source.equals("-")
            ? new BufferedInputStream(standardInput)
            : new BufferedInputStream(Files.newInputStream(Path.of(source)))) {
      if (ArrowFlowFiles.isArrow(head(in))) {
        // the footer, which indexes the batches, is at the end: standard input is read whole
        try (ArrowFlowFiles.Reader reader =
            source.equals("-")
                ? ArrowFlowFiles.Reader.of(source, in.readAllBytes())
                : ArrowFlowFiles.Reader.open(source)) {
          return reader.forEach(filter, sink, reuse);
        }
      }
      ContainerFileReader reader = new ContainerFileReader(source, in);
      if (reuse) {
        reader.readEach(FlowRecord.class, passing);
      } else {
        reader.readAll(FlowRecord.class, passing);
      }
      return reader.records();
    } catch (IOException e) {
      throw FlowFileException.cannotRead(source, e);
    }
  }

  /** Whether {@code source}, a path, is a columnar (Arrow) flow file. */
  public static boolean isArrow(String source) throws FlowFileException {
    try (InputStream in = Files.newInputStream(Path.of(source))) {
      return ArrowFlowFiles.isArrow(in.readNBytes(ArrowFlowFiles.MAGIC.length));
    } catch (IOException e) {
      throw FlowFileException.cannotRead(source, e);
    }
  }

  /** The first bytes of {@code in}, left to be read again. */
  private static byte[] head(InputStream in) throws IOException {
    in.mark(ArrowFlowFiles.MAGIC.length);
    byte[] head = in.readNBytes(ArrowFlowFiles.MAGIC.length);
    in.reset();
    return head;
  }

  /** Expands -r and -R arguments into sources, in the order given. */
  public static List<String> sources(List<String> files, List<Path> directories) {
    List<String> sources = new ArrayList<>(files);
    for (Path directory : directories) {
      try {
        under(directory).forEach(path -> sources.add(path.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + directory, e);
      }
    }
    return sources;
  }
}

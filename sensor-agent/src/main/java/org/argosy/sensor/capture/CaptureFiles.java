package org.argosy.sensor.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds capture files and puts them in timestamp order, so that a flow table fed one file after the
 * other sees time move forward. A capture file is recognised by its magic number, not its name.
 */
public final class CaptureFiles {

  private CaptureFiles() {}

  /** Every pcap or pcapng file under {@code directory}, recursively. */
  public static List<Path> findUnder(Path directory) {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).filter(CaptureFiles::isCaptureFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  /**
   * The files ordered by the time of their first packet; files without a readable first packet come
   * last, in name order, so that reading them still reports why.
   */
  public static List<Path> inTimestampOrder(List<Path> files) {
    record Timed(Path file, long firstMicros) {}
    List<Timed> timed = new ArrayList<>(files.size());
    for (Path file : files) {
      timed.add(new Timed(file, firstPacketMicros(file)));
    }
    timed.sort(
        Comparator.comparingLong(Timed::firstMicros).thenComparing(Timed::file, Path::compareTo));
    return timed.stream().map(Timed::file).toList();
  }

  static boolean isCaptureFile(Path file) {
    int magic = magic(file);
    return magic == MappedPcapngReader.SECTION_HEADER_BLOCK
        || MappedPcapReader.isClassicPcap(magic);
  }

  /** The first four bytes of {@code file}, big-endian; 0 when it is shorter or unreadable. */
  static int magic(Path file) {
    byte[] magic = new byte[4];
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(magic, 0, 4) < 4 ? 0 : ByteBuffer.wrap(magic).getInt();
    } catch (IOException e) {
      return 0;
    }
  }

  /** The time of the file's first packet, read as the sensor reads it; none: Long.MAX_VALUE. */
  private static long firstPacketMicros(Path file) {
    long[] first = {Long.MAX_VALUE};
    try {
      PcapFileReader.read(
          file,
          linkType -> {},
          (frame, captured, wireLength, micros) -> first[0] = micros,
          () -> first[0] != Long.MAX_VALUE);
    } catch (PcapFileReader.CaptureFileException | RuntimeException e) {
      // unreadable, or a corrupt first record: ordered last, and reading it reports why
    }
    return first[0];
  }
}

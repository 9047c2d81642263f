package org.argosy.sensor.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.argosy.sensor.ProjectPaths;
import org.argosy.sensor.capture.PcapFileReader;
import org.argosy.sensor.decode.LinkType;

/** The seed inputs of the fuzz tests: the shared tcpdump regression captures and their frames. */
final class Seeds {

  /** A captured frame of the corpus, as the reader handed it over. */
  record Frame(LinkType linkType, byte[] bytes, int wireLength, long timeMicros) {}

  /** Frames taken from one file at most, so that a few large captures do not dominate. */
  static final int FRAMES_PER_FILE = 200;

  private Seeds() {}

  static Path corpus() {
    Path root = ProjectPaths.root();
    return root.resolve("../shared/pcaps/tcpdump-tests").toAbsolutePath().normalize();
  }

  /** The corpus files in name order (capture files or not: the corpus has a few of each). */
  static List<Path> files() throws IOException {
    try (Stream<Path> listing = Files.list(corpus())) {
      return listing.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Up to {@link #FRAMES_PER_FILE} frames of every corpus file a reader accepts. */
  static List<Frame> frames() throws IOException {
    List<Frame> frames = new ArrayList<>();
    for (Path file : files()) {
      LinkType[] linkType = {LinkType.UNSUPPORTED};
      int before = frames.size();
      try {
        PcapFileReader.read(
            file,
            type -> linkType[0] = type,
            (frame, captured, wire, micros) ->
                frames.add(new Frame(linkType[0], Arrays.copyOf(frame, captured), wire, micros)),
            () -> frames.size() - before >= FRAMES_PER_FILE);
      } catch (PcapFileReader.CaptureFileException e) {
        // what the file held before the error is kept; the corpus has broken files on purpose
      }
    }
    return frames;
  }
}

package org.argosy.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.publish.FlowRecordSink;

/** Argus's programs and the sensor on the same capture, for the comparisons with Argus. */
public final class ArgusTools {

  /** The status interval of both the sensor here and argus (its default on this version). */
  public static final int STATUS_SECONDS = 5;

  private ArgusTools() {}

  public static boolean installed() {
    return onPath("argus") && onPath("racluster") && onPath("rasort") && onPath("ra");
  }

  /** {@code argus -r CAPTURE -w work/demo.argus}. */
  public static Path argus(Path work, Path capture) throws IOException, InterruptedException {
    Path argusFile = work.resolve("demo.argus");
    run(work, null, "argus", "-r", capture.toString(), "-w", argusFile.toString());
    return argusFile;
  }

  /** Every record the sensor emits for {@code capture}. */
  public static List<FlowRecord> meterWithTheSensor(Path capture) throws CaptureFileException {
    List<FlowRecord> records = new ArrayList<>();
    Sensor sensor =
        new Sensor(
            FlowTableConfig.withStatusInterval(STATUS_SECONDS),
            new SensorIdentity("t", "t", "demo"),
            new FlowRecordSink() {
              @Override
              public void send(FlowRecord record, long conversationHash) {
                records.add(record);
              }

              @Override
              public void flush() {}

              @Override
              public void close() {}
            });
    sensor.readFile(capture);
    sensor.finish();
    return records;
  }

  /** Runs a command that must succeed; stdout to {@code output} when given, else discarded. */
  public static void run(Path work, Path output, String... command)
      throws IOException, InterruptedException {
    assertThat(exitCode(work, output, command))
        .as("%s exit code", String.join(" ", command))
        .isZero();
  }

  /**
   * Runs a racluster that may match no record: it then exits 1 and writes nothing.
   *
   * @return whether any record matched
   */
  public static boolean racluster(Path work, Path output, List<String> command)
      throws IOException, InterruptedException {
    int exit = exitCode(work, output, command.toArray(String[]::new));
    boolean wrote = Files.exists(output) && Files.size(output) > 0;
    assertThat(exit == 0 || (exit == 1 && !wrote))
        .as("%s exit code %d", String.join(" ", command), exit)
        .isTrue();
    return wrote;
  }

  public static int exitCode(Path work, Path output, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.redirectOutput(
        output == null
            ? ProcessBuilder.Redirect.DISCARD
            : ProcessBuilder.Redirect.to(output.toFile()));
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
    return process.exitValue();
  }

  public static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  public static Path projectRoot() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }
}

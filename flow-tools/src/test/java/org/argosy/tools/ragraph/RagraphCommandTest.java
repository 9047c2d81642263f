package org.argosy.tools.ragraph;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.argosy.tools.DemoFlows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RagraphCommandTest {

  @TempDir static Path dir;
  static Path flows;

  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void writeFlowFile() throws Exception {
    flows = DemoFlows.write(dir);
  }

  private int ragraph(String... args) {
    CommandLine commandLine = new CommandLine(new RagraphCommand());
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void pngHasOneColouredLinePerTopKey() throws Exception {
    Path png = dir.resolve("ports.png");
    assertThat(
            ragraph(
                "-r",
                flows.toString(),
                "-m",
                "proto",
                "dport",
                "--top",
                "4",
                "--bin",
                "5",
                "-w",
                png.toString()))
        .as("%s", err)
        .isZero();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(Chart.WIDTH);
    assertThat(image.getHeight()).isEqualTo(Chart.HEIGHT);
    Set<Integer> colours = new HashSet<>();
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    for (int series = 0; series < 4; series++) {
      assertThat(colours).as("series %d drawn", series).contains(Chart.COLOURS[series]);
    }
    assertThat(colours).as("no fifth series").doesNotContain(Chart.COLOURS[4]);
  }

  @Test
  void svgHasLabelledAxesLegendAndSeries() throws Exception {
    Path svg = dir.resolve("ports.svg");
    assertThat(
            ragraph(
                "-r",
                flows.toString(),
                "-m",
                "proto",
                "dport",
                "--bin",
                "10",
                "-w",
                svg.toString()))
        .as("%s", err)
        .isZero();
    String document = Files.readString(svg);
    assertThat(Pattern.compile("<polyline class=\"series\"").matcher(document).results().count())
        .isEqualTo(5);
    assertThat(document)
        .contains(">tcp http<")
        .contains("kB/s<")
        .contains(">18:44:10<")
        .contains("time (UTC), 10 s bins");
  }

  @Test
  void refusesWhatItCannotDraw() {
    assertThat(
            ragraph("-r", flows.toString(), "-m", "dport", "-w", dir.resolve("x.gif").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains(".png or .svg");
    assertThat(
            ragraph(
                "-r",
                flows.toString(),
                "-m",
                "dport",
                "-s",
                "load",
                "-w",
                dir.resolve("x.png").toString()))
        .isEqualTo(2);
    assertThat(
            ragraph(
                "-r",
                flows.toString(),
                "-m",
                "dport",
                "-w",
                dir.resolve("x.png").toString(),
                "-",
                "port",
                "1"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("nothing to draw");
  }
}

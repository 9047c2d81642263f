package org.argosy.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One row of {@code samples/expected/demo-top10.tsv}, the rankings of the bundled capture computed
 * independently of this project's code (tshark plus a script, cross-checked against Argus's
 * racluster; see samples/README.md).
 */
record ExpectedRanking(
    long windowStartMicros,
    int rank,
    String proto,
    String dport,
    long pkts,
    long bytes,
    long trans,
    double load) {

  static Path projectRoot() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }

  static Path bundledCapture() {
    return projectRoot().resolve("samples/demo.pcap");
  }

  static List<ExpectedRanking> readAll() throws IOException {
    return Files.readAllLines(projectRoot().resolve("samples/expected/demo-top10.tsv")).stream()
        .skip(1)
        .filter(line -> !line.isBlank())
        .map(ExpectedRanking::parse)
        .toList();
  }

  private static ExpectedRanking parse(String line) {
    String[] f = line.split("\t", -1);
    return new ExpectedRanking(
        Instant.parse(f[0]).toEpochMilli() * 1000,
        Integer.parseInt(f[1]),
        f[2],
        f[3],
        Long.parseLong(f[4]),
        Long.parseLong(f[5]),
        Long.parseLong(f[6]),
        Double.parseDouble(f[7]));
  }
}

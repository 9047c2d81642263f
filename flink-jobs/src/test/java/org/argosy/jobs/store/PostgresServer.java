package org.argosy.jobs.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from Debian's packages ({@code apt-get install postgresql}):
 * a fresh cluster in a temporary directory, listening on 127.0.0.1 only, on a free port, with a
 * password-protected user and database {@code argosy}. Root cannot run PostgreSQL, so as root the
 * server runs as the package's {@code postgres} user.
 */
final class PostgresServer implements AutoCloseable {

  static final String USER = "argosy";
  static final String PASSWORD = "test-only-secret";

  private final Path bin;
  private final Path dataDirectory;
  private final boolean asPostgresUser;
  private final int port;

  private PostgresServer(Path bin, Path dataDirectory, boolean asPostgresUser, int port) {
    this.bin = bin;
    this.dataDirectory = dataDirectory;
    this.asPostgresUser = asPostgresUser;
    this.port = port;
  }

  static PostgresServer start() throws IOException, InterruptedException, SQLException {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path home = Files.createTempDirectory("argosy-postgres-");
    Path data = home.resolve("data");
    Path passwordFile = home.resolve("password");
    Files.writeString(passwordFile, PASSWORD, StandardCharsets.UTF_8);
    if (root) {
      run(List.of("chown", "-R", "postgres:postgres", home.toString()), false);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PostgresServer server = new PostgresServer(bin, data, root, port);
    server.pg(
        "initdb",
        "-D",
        data.toString(),
        "-U",
        USER,
        "--auth=scram-sha-256",
        "--pwfile=" + passwordFile,
        "--encoding=UTF8",
        "--no-sync");
    server.pg(
        "pg_ctl",
        "-D",
        data.toString(),
        "-l",
        home.resolve("server.log").toString(),
        "-o",
        "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "-w",
        "start");
    try (Connection connection =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD)) {
      connection.createStatement().execute("CREATE DATABASE argosy");
    }
    return server;
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/argosy";
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, PASSWORD);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    pg("pg_ctl", "-D", dataDirectory.toString(), "-m", "fast", "-w", "stop");
    try (Stream<Path> files = Files.walk(dataDirectory.getParent())) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  private void pg(String program, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    run(command, asPostgresUser);
  }

  private static void run(List<String> command, boolean asPostgresUser)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", full) + " failed:\n" + output);
    }
  }

  /** The newest installed PostgreSQL's programs. */
  private static Path binaries() throws IOException {
    Path versions = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(versions)) {
      throw new IllegalStateException(
          "PostgreSQL is not installed: apt-get install postgresql (see .ci/run)");
    }
    try (Stream<Path> installed = Files.list(versions)) {
      return installed
          .filter(dir -> Files.isExecutable(dir.resolve("bin/initdb")))
          .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString())))
          .orElseThrow(() -> new IllegalStateException("no initdb under " + versions))
          .resolve("bin");
    }
  }
}

package org.argosy.tools.resident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FilenameFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.argosy.tools.DemoFlows;
import org.argosy.tools.bench.ToolMain;
import org.argosy.tools.cli.StandardStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The resident process with real clients: each client a JVM of its own, as ./argosy starts it,
 * against a server in this JVM. A command run through it prints, exits and reads files as the same
 * command run in a JVM of its own.
 */
class ResidentServerITCase {

  @TempDir static Path shared;
  static Path flows;
  static Path columnar;

  @TempDir Path dir;
  private Path socket;
  private ResidentServer server;
  private CompletableFuture<Void> serving;

  @BeforeAll
  static void writeFlowFiles() throws Exception {
    flows = DemoFlows.write(shared);
    columnar = shared.resolve("demo.arrow");
    assertThat(direct("ra", "-r", flows.toString(), "-w", columnar.toString()).code()).isZero();
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.stop();
      serving.get(1, TimeUnit.MINUTES);
    }
  }

  private record Result(int code, String out, String err) {}

  /** The command run in this JVM, as a JVM of its own would run it. */
  private static Result direct(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine commandLine = ToolMain.commandLine(args, new StandardStreams(System.in, out));
    PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
    commandLine.setOut(outWriter);
    commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = commandLine.execute(args);
    outWriter.flush();
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private void startServer(ResidentServer.Builder builder) throws Exception {
    server = builder.build();
    serving =
        CompletableFuture.runAsync(
            () -> {
              try {
                server.serve();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    for (int i = 0; i < 100 && ResidentClient.status(socket) == null; i++) {
      Thread.sleep(50);
    }
    assertThat(ResidentClient.status(socket)).contains("0 commands served");
  }

  private ResidentServer.Builder builder() throws IOException {
    Path directory = dir.resolve("run");
    Files.createDirectory(
        directory,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    socket = directory.resolve("tools.sock");
    return ResidentServer.builder().socket(socket).commands(ToolMain::commandLine);
  }

  /** A client JVM started by bash in {@code workingDirectory}, as ./argosy starts it. */
  private Result client(Path workingDirectory, String shellLine) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String client =
        String.join(
            " ",
            java,
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp",
            System.getProperty("java.class.path"),
            ResidentClient.class.getName(),
            socket.toString());
    Process process =
        new ProcessBuilder("bash", "-c", shellLine.replace("CLIENT", client))
            .directory(workingDirectory.toFile())
            .start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Result(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err.get(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  void printsWhatTheCommandPrintsInAJvmOfItsOwn() throws Exception {
    startServer(builder());
    List<List<String>> questions =
        List.of(
            List.of("racluster", "-m", "proto", "dport", "-n"),
            List.of("racluster", "-m", "saddr", "daddr", "-s", "saddr", "daddr", "bytes", "load"),
            List.of("racluster", "-c", ",", "-", "tcp", "and", "dst", "port", "80"),
            List.of("ra", "-n", "-s", "stime", "saddr", "sport", "daddr", "dport", "bytes"),
            List.of("ra", "--json", "-N", "5", "-", "udp"),
            List.of("rasort", "-m", "bytes", "-s", "saddr", "daddr", "bytes"));
    for (Path file : List.of(flows, columnar)) {
      for (List<String> question : questions) {
        List<String> args = new ArrayList<>(question);
        args.addAll(1, List.of("-r", file.toString()));
        Result expected = direct(args.toArray(String[]::new));
        assertThat(expected.code()).as("%s", args).isZero();
        Result resident = client(dir, "CLIENT " + String.join(" ", quoted(args)));
        assertThat(resident).as("%s", args).isEqualTo(expected);
      }
    }
    assertThat(ResidentClient.status(socket)).contains((questions.size() * 2) + " commands served");
  }

  private static List<String> quoted(List<String> args) {
    return args.stream().map(a -> "'" + a + "'").toList();
  }

  @Test
  void namesAreTheClientsOwnAndStandardInputAndOutputCarryThePipeline() throws Exception {
    startServer(builder());
    Path clientDirectory = Files.createDirectory(dir.resolve("client"));
    Files.copy(flows, clientDirectory.resolve("day.avro"));
    Result pipeline =
        client(
            clientDirectory,
            "CLIENT racluster -r day.avro -w - -m proto dport | CLIENT rasort -r - -m bytes load"
                + " -s dport bytes load | head -n 5");
    Path aggregates = dir.resolve("aggregates.avro");
    assertThat(
            direct(
                    "racluster",
                    "-r",
                    flows.toString(),
                    "-w",
                    aggregates.toString(),
                    "-m",
                    "proto",
                    "dport")
                .code())
        .isZero();
    String expected =
        direct(
                "rasort",
                "-r",
                aggregates.toString(),
                "-m",
                "bytes",
                "load",
                "-s",
                "dport",
                "bytes",
                "load")
            .out()
            .lines()
            .limit(5)
            .map(line -> line + "\n")
            .reduce("", String::concat);
    assertThat(pipeline.out()).isEqualTo(expected);
    assertThat(pipeline.code()).isZero();

    // so are -R's: "." is the client's directory
    assertThat(client(clientDirectory, "CLIENT racluster -R . -m proto -n"))
        .isEqualTo(direct("racluster", "-R", clientDirectory.toString(), "-m", "proto", "-n"));

    // -w to a relative name writes into the client's directory, not the server's
    assertThat(client(clientDirectory, "CLIENT racluster -r day.avro -w out.avro -m proto").code())
        .isZero();
    assertThat(clientDirectory.resolve("out.avro")).isNotEmptyFile();
    assertThat(Path.of("out.avro")).doesNotExist();
  }

  @Test
  void usageErrorsAndDamagedFilesExitAsInAJvmOfTheirOwn() throws Exception {
    startServer(builder());
    Result badField = client(dir, "CLIENT racluster -r " + flows + " -m dprot");
    assertThat(badField.code()).isEqualTo(2);
    assertThat(badField.err()).contains("dprot");
    assertThat(badField.out()).isEmpty();

    Path cut = dir.resolve("cut.avro");
    byte[] whole = Files.readAllBytes(flows);
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    Result damaged = client(dir, "CLIENT racluster -r cut.avro -m proto");
    assertThat(damaged.code()).isEqualTo(1);
    assertThat(damaged.err()).contains(cut.toString());

    Result missing = client(dir, "CLIENT ra -r no-such-file.avro");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains(dir.resolve("no-such-file.avro").toString());
  }

  @Test
  void declinesWhatItDoesNotRunAndAClientWithoutAServerRunsItself() throws Exception {
    startServer(builder());
    for (String command : List.of("ratop -r x", "ra -S kafka://127.0.0.1:9/flows", "ragraph")) {
      Result declined = client(dir, "CLIENT " + command);
      assertThat(declined.code()).as(command).isEqualTo(ResidentProtocol.NOT_RUN);
      assertThat(declined.out()).isEmpty();
    }
    server.stop();
    serving.get(1, TimeUnit.MINUTES);
    server = null;
    assertThat(socket).doesNotExist();
    Result none = client(dir, "CLIENT racluster -r " + flows);
    assertThat(none.code()).isEqualTo(ResidentProtocol.NOT_RUN);
    assertThat(none.out()).isEmpty();
    assertThat(none.err()).isEmpty();
  }

  @Test
  void aReaderThatLeavesEndsTheClientNotTheServer() throws Exception {
    startServer(builder());
    Result cut = client(dir, "CLIENT ra -r " + flows + " | head -n 2; echo ${PIPESTATUS[0]} >&2");
    assertThat(cut.out().lines()).hasSize(2);
    assertThat(cut.err().strip()).isIn("0", "141"); // 0 when the whole output fit the pipe
    List<CompletableFuture<Result>> together = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      together.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return client(dir, "CLIENT racluster -r " + flows + " -m proto dport -n");
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              }));
    }
    Result expected = direct("racluster", "-r", flows.toString(), "-m", "proto", "dport", "-n");
    for (CompletableFuture<Result> each : together) {
      assertThat(each.get(2, TimeUnit.MINUTES)).isEqualTo(expected);
    }
  }

  @Test
  void aRebuildStopsItAndTheClientRunsTheCommandItself() throws Exception {
    Path jar = Files.writeString(dir.resolve("tools.jar"), "first build");
    startServer(builder().buildFiles(List.of(jar.toFile())));
    assertThat(client(dir, "CLIENT racluster -r " + flows).code()).isZero();
    Files.setLastModifiedTime(
        jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    Result stale = client(dir, "CLIENT racluster -r " + flows);
    assertThat(stale.code()).isEqualTo(ResidentProtocol.NOT_RUN);
    assertThat(stale.err()).contains("older build").contains("tools.jar");
    assertThat(stale.out()).isEmpty();
    serving.get(1, TimeUnit.MINUTES);
    server = null;
    assertThat(socket).doesNotExist();
  }

  @Test
  void onlyAPrivateDirectoryHoldsTheSocket() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    socket = open.resolve("tools.sock");
    ResidentServer exposed =
        ResidentServer.builder().socket(socket).commands(ToolMain::commandLine).build();
    assertThatThrownBy(exposed::serve).hasMessageContaining("only this user can enter");
    assertThat(socket).doesNotExist();

    Result refused = client(dir, "CLIENT racluster -r " + flows);
    assertThat(refused.code()).isEqualTo(ResidentProtocol.NOT_RUN);
    assertThat(refused.err()).contains("only this user can enter");
  }

  @Test
  void aSocketLeftByAKilledProcessIsReplaced() throws Exception {
    ResidentServer.Builder builder = builder();
    try (ServerSocketChannel killed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      killed.bind(UnixDomainSocketAddress.of(socket)); // closed without removing its file
    }
    assertThat(socket).exists();
    startServer(builder);
    assertThat(client(dir, "CLIENT racluster -r " + flows + " -m proto").code()).isZero();
  }

  @Test
  void aSecondServerOnTheSameSocketIsRefused() throws Exception {
    startServer(builder());
    ResidentServer second =
        ResidentServer.builder().socket(socket).commands(ToolMain::commandLine).build();
    assertThatThrownBy(second::serve).hasMessageContaining("already answers");
    assertThat(ResidentClient.status(socket)).contains("0 commands served");
  }

  @Test
  void theBuilderNamesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> ResidentServer.builder().commands(ToolMain::commandLine).build())
        .hasMessageContaining("socket");
    assertThatThrownBy(() -> ResidentServer.builder().socket(Path.of("x.sock")).build())
        .hasMessageContaining("commands");
    assertThatThrownBy(
            () ->
                ResidentServer.builder()
                    .socket(Path.of("/tmp/" + "x".repeat(120)))
                    .commands(ToolMain::commandLine)
                    .build())
        .hasMessageContaining("107 bytes");
    assertThatThrownBy(
            () ->
                ResidentServer.builder()
                    .socket(Path.of("x.sock"))
                    .commands(ToolMain::commandLine)
                    .idleTimeout(java.time.Duration.ZERO)
                    .build())
        .hasMessageContaining("idle timeout");
  }

  @Test
  void anIdleServerStopsEvenWithAClientThatNeverAsks() throws Exception {
    startServer(builder().idleTimeout(java.time.Duration.ofMillis(500)));
    try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      // closed by the server after its request timeout; then the server is idle
      assertThat(silent.read(java.nio.ByteBuffer.allocate(1))).isEqualTo(-1);
    }
    serving.get(1, TimeUnit.MINUTES);
    server = null;
    assertThat(socket).doesNotExist();
  }

  @Test
  void theWarmUpRunsEveryQuestionWithoutFailing() throws Exception {
    File temporary = new File(System.getProperty("java.io.tmpdir"));
    FilenameFilter warmUpFiles = (directory, name) -> name.startsWith("argosy-warmup");
    int before = temporary.list(warmUpFiles).length;
    ResidentWarmup.run(ToolMain::commandLine); // a failing question throws
    assertThat(temporary.list(warmUpFiles)).hasSize(before);
  }
}

package org.argosy.tools.resident;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.argosy.tools.cli.FileToolLogging;
import org.argosy.tools.cli.StandardStreams;
import picocli.CommandLine;

/**
 * The resident process: one JVM that runs ra, racluster and rasort over files for clients on a Unix
 * socket, so that a command costs its work and not a JVM's start and compilation, most of a
 * command's time over a few million records (BENCHMARKS.md). Other commands (a topic, ratop,
 * ragraph) are declined and run in a JVM of their own.
 *
 * <p>The socket lives in a directory only this user can enter, which is what keeps other users out.
 * The process stops when asked, when idle for the idle timeout, or when the jars it started from
 * are rebuilt (it declines the request that finds them changed).
 */
public final class ResidentServer {

  private static final int MAX_ARGUMENTS = 10_000;

  /** How long a client has to send its request: one that sends nothing holds no thread long. */
  private static final long REQUEST_TIMEOUT_MILLIS = 5_000;

  private final Path socket;
  private final ToolCommands commands;
  private final Duration idleTimeout;
  private final boolean warmUp;
  private final BuildStamp stamp;
  private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong lastDone = new AtomicLong(System.nanoTime());
  private volatile ServerSocketChannel listener;
  private ScheduledExecutorService timers;

  private ResidentServer(Builder builder) {
    this.socket = builder.socket;
    this.commands = builder.commands;
    this.idleTimeout = builder.idleTimeout;
    this.warmUp = builder.warmUp;
    this.stamp = new BuildStamp(builder.buildFiles);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Listens on the socket and serves clients until stopped, idle for the idle timeout, or its jars
   * change; returns once the commands that were running have finished.
   *
   * @throws IOException when the socket cannot be made, or another resident process answers on it
   */
  public void serve() throws IOException {
    FileToolLogging.turnOff();
    listener = bind();
    if (warmUp) {
      try {
        ResidentWarmup.run(commands);
      } catch (IOException | RuntimeException e) {
        // clients are served all the same, only the first ones slower
        System.err.println("argosy resident process: warm-up failed: " + e);
      }
    }
    lastDone.set(System.nanoTime()); // idle from now, not from before the warm-up
    AtomicInteger clients = new AtomicInteger();
    ExecutorService sessions =
        Executors.newCachedThreadPool(
            task -> new Thread(task, "client-" + clients.incrementAndGet()));
    timers = Executors.newSingleThreadScheduledExecutor();
    long checkEvery = Math.max(1, Math.min(idleTimeout.toMillis() / 4, 60_000));
    timers.scheduleWithFixedDelay(this::stopIfIdle, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
    try {
      while (true) {
        SocketChannel client;
        try {
          client = listener.accept();
        } catch (ClosedChannelException stopped) { // closed by stop(), perhaps during warm-up
          break;
        }
        open.incrementAndGet();
        sessions.execute(() -> session(client));
      }
    } finally {
      sessions.shutdown();
      Files.deleteIfExists(socket);
    }
    try {
      sessions.awaitTermination(1, TimeUnit.HOURS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      timers.shutdownNow(); // after the sessions, which schedule their request timeouts on it
    }
  }

  /** Stops listening; running commands finish. */
  public void stop() {
    ServerSocketChannel channel = listener;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // closed either way
      }
    }
  }

  /**
   * Makes the socket's directory, only this user may enter it (700), or checks that it is such a
   * directory: the socket and the process's log go there.
   *
   * @throws IOException when it cannot be made, or is not private
   */
  public static void prepareDirectory(Path socket) throws IOException {
    Path directory = socket.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    if (!ResidentProtocol.isPrivate(directory)) {
      throw new IOException(
          directory + " must be a directory of this user's that only this user can enter (700)");
    }
  }

  private ServerSocketChannel bind() throws IOException {
    prepareDirectory(socket);
    if (Files.exists(socket)) {
      if (answers(socket)) {
        throw new IOException("a resident process already answers on " + socket);
      }
      Files.delete(socket); // left by a process that ended without removing it
    }
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(socket));
    return channel;
  }

  private static boolean answers(Path socket) {
    try (SocketChannel other = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void stopIfIdle() {
    long idle = System.nanoTime() - lastDone.get();
    if (open.get() == 0 && idle >= idleTimeout.toNanos()) {
      System.err.println("argosy resident process: idle for " + idleTimeout + ", stopping");
      stop();
    }
  }

  private void session(SocketChannel client) {
    try (client) {
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(ResidentProtocol.input(client)));
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(ResidentProtocol.output(client)));
      ClientSession session = new ClientSession(in, out);
      ScheduledFuture<?> late =
          timers.schedule(() -> close(client), REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      if (in.readInt() != ResidentProtocol.MAGIC) {
        return; // not a client of this version: nothing it would understand can be said
      }
      byte kind = in.readByte();
      WorkingDirectory directory = null;
      String[] args = null;
      if (kind == ResidentProtocol.RUN) {
        directory = new WorkingDirectory(Path.of(in.readUTF()));
        args = arguments(in);
      }
      late.cancel(false);
      switch (kind) {
        case ResidentProtocol.RUN -> run(args, directory, session);
        case ResidentProtocol.STATUS -> {
          session.text(status());
          session.exit(0);
        }
        case ResidentProtocol.STOP -> {
          session.text("stopping after the " + running.get() + " running commands\n");
          session.exit(0);
          stop();
        }
        default -> {
          // an unknown request: closing tells the client
        }
      }
    } catch (IOException e) {
      // the client went away; its command, if any, has stopped writing to it
    } finally {
      open.decrementAndGet();
      lastDone.set(System.nanoTime());
    }
  }

  private static void close(SocketChannel client) {
    try {
      client.close();
    } catch (IOException e) {
      // closed either way
    }
  }

  private static String[] arguments(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_ARGUMENTS) {
      throw new IOException(count + " arguments");
    }
    String[] args = new String[count];
    for (int i = 0; i < count; i++) {
      args[i] = in.readUTF();
    }
    return args;
  }

  private void run(String[] args, WorkingDirectory directory, ClientSession session)
      throws IOException {
    File rebuilt = stamp.changed();
    if (rebuilt != null) {
      session.decline(
          "the resident process ran an older build ("
              + rebuilt.getName()
              + " has changed) and has stopped; start it again with: argosy daemon start");
      stop();
      return;
    }
    if (!FileToolLogging.isFileToolRun(args)) {
      session.decline("");
      return;
    }
    running.incrementAndGet();
    try {
      session.exit(execute(args, directory, session));
    } finally {
      running.decrementAndGet();
      served.incrementAndGet();
    }
  }

  private int execute(String[] args, WorkingDirectory directory, ClientSession session) {
    PrintWriter err = session.errorWriter();
    try {
      CommandLine commandLine =
          commands.commandLine(args, new StandardStreams(session.input(), session.output()));
      PrintWriter out = session.outputWriter();
      commandLine.setOut(out);
      commandLine.setErr(err);
      commandLine.setExecutionStrategy(
          parsed -> {
            directory.resolve(parsed);
            return new CommandLine.RunLast().execute(parsed);
          });
      int code = commandLine.execute(args);
      out.flush();
      return code;
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      // picocli hands a command's failures to its handlers; this is the process's own trouble
      err.println(args[0] + ": error: " + e);
      return 1;
    }
  }

  private String status() {
    Runtime runtime = Runtime.getRuntime();
    return String.format(
        "pid %d, socket %s, up since %s, %d commands served, %d running, heap %d of %d MiB,"
            + " stops when idle for %s%n",
        ProcessHandle.current().pid(),
        socket,
        started,
        served.get(),
        running.get(),
        (runtime.totalMemory() - runtime.freeMemory()) >> 20,
        runtime.maxMemory() >> 20,
        idleTimeout);
  }

  /** Builds a {@link ResidentServer}; {@link #build()} checks that it was given what it needs. */
  public static final class Builder {

    private Path socket;
    private ToolCommands commands;
    private Duration idleTimeout = Duration.ofHours(3);
    private boolean warmUp;
    private List<File> buildFiles = BuildStamp.classPathJars();

    private Builder() {}

    /** The socket to listen on; its directory is made, or must be, private to this user. */
    public Builder socket(Path socket) {
      this.socket = socket;
      return this;
    }

    /** How the tools' command lines are made for a client's arguments. */
    public Builder commands(ToolCommands commands) {
      this.commands = commands;
      return this;
    }

    /** How long without a client before the process stops (default three hours). */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * Whether to run the tools' common questions on made-up files before the first client is
     * served, so that it finds their code compiled (a few seconds; default off).
     */
    public Builder warmUp(boolean warmUp) {
      this.warmUp = warmUp;
      return this;
    }

    /**
     * The files whose change means the project was rebuilt, and the process must stop rather than
     * run older code (default: the jars on the class path).
     */
    public Builder buildFiles(List<File> buildFiles) {
      this.buildFiles = List.copyOf(buildFiles);
      return this;
    }

    public ResidentServer build() {
      Objects.requireNonNull(socket, "socket");
      Objects.requireNonNull(commands, "commands");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
      }
      // a socket's path is at most 107 bytes on Linux
      if (socket.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > 107) {
        throw new IllegalArgumentException("socket path longer than 107 bytes: " + socket);
      }
      return new ResidentServer(this);
    }
  }
}

package org.argosy.tools.resident;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.argosy.tools.resident.ResidentProtocol.Frame;

/**
 * {@code ResidentClient SOCKET ARGS...}: runs one file tool command in the resident process behind
 * {@code SOCKET}, as if it ran here: the command reads this process's working directory and
 * standard input, writes its standard output and error, and its exit code is this process's.
 *
 * <p>Exits with {@link ResidentProtocol#NOT_RUN} (75), having printed nothing on standard output,
 * when no resident process answers or it declines the command: the caller then runs the command in
 * a JVM of its own. A standard output closed by its reader (a pipe into {@code head}) ends this
 * process with 141, as a broken pipe ends a Unix tool; the resident process then stops writing.
 */
public final class ResidentClient {

  private static final int BROKEN_PIPE = 128 + 13;

  /** Characters of one argument the request carries (in at most 65,535 bytes of UTF-8). */
  private static final int LONGEST_ARGUMENT = 65_535 / 3;

  private ResidentClient() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: ResidentClient SOCKET ARGS...");
      System.exit(2);
    }
    String[] command = new String[args.length - 1];
    System.arraycopy(args, 1, command, 0, command.length);
    System.exit(run(Path.of(args[0]), command));
  }

  /** Runs {@code command} in the process behind {@code socket}; returns the exit code. */
  static int run(Path socket, String[] command) {
    for (String argument : command) {
      if (argument.length() > LONGEST_ARGUMENT) {
        return ResidentProtocol.NOT_RUN;
      }
    }
    try {
      if (!ResidentProtocol.isPrivate(socket.toAbsolutePath().getParent())) {
        System.err.println(
            "argosy: not using the resident process: "
                + socket.toAbsolutePath().getParent()
                + " must be a directory of this user's that only this user can enter");
        return ResidentProtocol.NOT_RUN;
      }
    } catch (IOException noDirectory) {
      return ResidentProtocol.NOT_RUN; // none was ever started here
    }
    SocketChannel channel = connect(socket);
    if (channel == null) {
      return ResidentProtocol.NOT_RUN; // none runs: the command runs without it
    }
    try (channel) {
      DataOutputStream request =
          new DataOutputStream(new BufferedOutputStream(ResidentProtocol.output(channel)));
      request.writeInt(ResidentProtocol.MAGIC);
      request.writeByte(ResidentProtocol.RUN);
      request.writeUTF(Path.of("").toAbsolutePath().toString());
      request.writeInt(command.length);
      for (String argument : command) {
        request.writeUTF(argument);
      }
      request.flush();
      return answer(
          new DataInputStream(new BufferedInputStream(ResidentProtocol.input(channel))), request);
    } catch (IOException e) {
      System.err.println("argosy: the resident process stopped answering: " + e.getMessage());
      return 1;
    }
  }

  /** The resident process's account of itself, or null when none answers on {@code socket}. */
  public static String status(Path socket) {
    return control(socket, ResidentProtocol.STATUS);
  }

  /** Asks the resident process to stop; its answer, or null when none answers. */
  public static String stop(Path socket) {
    return control(socket, ResidentProtocol.STOP);
  }

  private static String control(Path socket, byte request) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      if (!ResidentProtocol.isPrivate(socket.toAbsolutePath().getParent())) {
        return null;
      }
      channel.connect(UnixDomainSocketAddress.of(socket));
      DataOutputStream out = new DataOutputStream(ResidentProtocol.output(channel));
      out.writeInt(ResidentProtocol.MAGIC);
      out.writeByte(request);
      out.flush();
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(ResidentProtocol.input(channel)));
      StringBuilder text = new StringBuilder();
      for (Frame frame = Frame.read(in);
          frame.kind() != ResidentProtocol.EXIT;
          frame = Frame.read(in)) {
        text.append(new String(frame.payload(), StandardCharsets.UTF_8));
      }
      return text.toString();
    } catch (IOException e) {
      return null;
    }
  }

  /** A connection to the process behind {@code socket}, or null when none answers there. */
  private static SocketChannel connect(Path socket) {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      return null;
    }
  }

  /** Copies the frames of the answer to this process's streams until the exit code comes. */
  private static int answer(DataInputStream in, DataOutputStream request) throws IOException {
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    OutputStream err = new FileOutputStream(FileDescriptor.err);
    while (true) {
      Frame frame = Frame.read(in);
      switch (frame.kind()) {
        case ResidentProtocol.OUTPUT -> {
          try {
            out.write(frame.payload());
          } catch (IOException closedByReader) {
            return BROKEN_PIPE;
          }
        }
        case ResidentProtocol.ERROR -> err.write(frame.payload());
        case ResidentProtocol.INPUT_WANTED -> sendInput(request);
        case ResidentProtocol.EXIT -> {
          return new DataInputStream(new ByteArrayInputStream(frame.payload())).readInt();
        }
        case ResidentProtocol.DECLINED -> {
          String reason = new String(frame.payload(), StandardCharsets.UTF_8);
          if (!reason.isEmpty()) {
            System.err.println("argosy: " + reason);
          }
          return ResidentProtocol.NOT_RUN;
        }
        default -> throw new IOException("unknown frame '" + (char) frame.kind() + "'");
      }
    }
  }

  /** Sends standard input to the command from a thread of its own, an empty frame at its end. */
  private static void sendInput(DataOutputStream request) {
    Thread sender =
        new Thread(
            () -> {
              byte[] buffer = new byte[1 << 16];
              try {
                int read;
                while ((read = readInput(buffer)) > 0) {
                  ResidentProtocol.writeFrame(request, ResidentProtocol.INPUT, buffer, 0, read);
                  request.flush();
                }
                ResidentProtocol.writeFrame(request, ResidentProtocol.INPUT, buffer, 0, 0);
                request.flush();
              } catch (IOException e) {
                // the command ended first: its exit code is on its way
              }
            },
            "standard-input");
    sender.setDaemon(true);
    sender.start();
  }

  /** Reads standard input; one that cannot be read ends like an empty one, with a message. */
  private static int readInput(byte[] buffer) {
    try {
      return System.in.read(buffer);
    } catch (IOException e) {
      System.err.println("argosy: cannot read standard input: " + e.getMessage());
      return -1;
    }
  }
}

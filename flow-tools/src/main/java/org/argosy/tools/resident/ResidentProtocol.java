package org.argosy.tools.resident;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a client and the resident process say to each other over the Unix socket. Uses the JDK only:
 * the client runs on a class path of one jar, so that it starts in a few tens of milliseconds.
 *
 * <p>The client opens with {@link #MAGIC}, a request kind and, for {@link #RUN}, its working
 * directory and arguments. The process answers in frames of a kind byte and a length-prefixed
 * payload: standard output and error as they are written, {@link #INPUT_WANTED} when the command
 * first reads standard input (the client then sends its input as {@link #INPUT} frames, an empty
 * one at its end), and last {@link #EXIT} with the exit code, or {@link #DECLINED} with a reason
 * when the client must run the command in a JVM of its own.
 */
final class ResidentProtocol {

  /** Opens every request; a change of the protocol changes it. */
  static final int MAGIC = 0x41524731; // "ARG1"

  /** Request kinds. */
  static final byte RUN = 'R';

  static final byte STATUS = 'S';
  static final byte STOP = 'Q';

  /** Frames from the resident process. */
  static final byte OUTPUT = 'o';

  static final byte ERROR = 'e';
  static final byte INPUT_WANTED = 'i';
  static final byte EXIT = 'x';
  static final byte DECLINED = 'd';
  static final byte TEXT = 't';

  /** Frames from the client. */
  static final byte INPUT = 'I';

  /** The client's exit code when the command was not run and must run without the process. */
  static final int NOT_RUN = 75;

  /** The largest frame payload either side sends or accepts. */
  static final int MAX_FRAME = 1 << 20;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private ResidentProtocol() {}

  static void writeFrame(DataOutputStream out, byte kind, byte[] payload, int offset, int length)
      throws IOException {
    out.writeByte(kind);
    out.writeInt(length);
    out.write(payload, offset, length);
  }

  /**
   * The bytes arriving on {@code channel}. Not {@link java.nio.channels.Channels#newInputStream}:
   * its reads hold the channel's blocking lock, which its writes need too, so a side waiting for
   * input could not send (a command's output while its input is awaited; a client's input while it
   * waits for output).
   */
  static InputStream input(SocketChannel channel) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        return length == 0 ? 0 : channel.read(ByteBuffer.wrap(bytes, offset, length));
      }
    };
  }

  /** The bytes leaving on {@code channel}; see {@link #input(SocketChannel)}. */
  static OutputStream output(SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    };
  }

  /** A frame read whole; a length outside 0..{@link #MAX_FRAME} is damage, not a frame. */
  record Frame(byte kind, byte[] payload) {

    static Frame read(DataInputStream in) throws IOException {
      byte kind = in.readByte();
      int length = in.readInt();
      if (length < 0 || length > MAX_FRAME) {
        throw new IOException("frame of " + length + " bytes");
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      return new Frame(kind, payload);
    }
  }

  /**
   * Whether {@code directory} is a directory only its owner, this user, can enter: the socket in it
   * then reaches this user's resident process and no one else's, and no one else can reach it.
   */
  static boolean isPrivate(Path directory) throws IOException {
    PosixFileAttributes attributes =
        Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return attributes.isDirectory()
        && attributes.permissions().equals(OWNER_ONLY)
        && attributes.owner().getName().equals(System.getProperty("user.name"));
  }
}

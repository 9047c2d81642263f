package org.argosy.tools.resident;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.argosy.tools.resident.ResidentProtocol.Frame;

/**
 * One client's connection: the standard streams of the command it runs, carried as frames. Output
 * goes out in frames of up to 64 KiB; standard input is asked for when the command first reads it,
 * so that a command that never reads it leaves a terminal's typing alone.
 */
final class ClientSession {

  private static final int OUTPUT_BUFFER = 1 << 16;

  private final DataInputStream in;
  private final DataOutputStream out;
  private final ClientInput input = new ClientInput();
  private final FrameOutput output = new FrameOutput(ResidentProtocol.OUTPUT);
  private final FrameOutput error = new FrameOutput(ResidentProtocol.ERROR);

  ClientSession(DataInputStream in, DataOutputStream out) {
    this.in = in;
    this.out = out;
  }

  InputStream input() {
    return input;
  }

  OutputStream output() {
    return output;
  }

  /** Standard output as text, for the command's tables; flushed when the command is done. */
  PrintWriter outputWriter() {
    return new PrintWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
  }

  /** Standard error as text, flushed line by line. */
  PrintWriter errorWriter() {
    return new PrintWriter(new OutputStreamWriter(error, StandardCharsets.UTF_8), true);
  }

  /** Sends what the command left in the buffers, then its exit code. */
  void exit(int code) throws IOException {
    output.flush();
    error.flush();
    byte[] payload = ByteBuffer.allocate(Integer.BYTES).putInt(code).array();
    send(ResidentProtocol.EXIT, payload, payload.length);
  }

  /** Declines the request: the client runs the command itself, after printing {@code reason}. */
  void decline(String reason) throws IOException {
    byte[] payload = reason.getBytes(StandardCharsets.UTF_8);
    send(ResidentProtocol.DECLINED, payload, payload.length);
  }

  /** Answers a status request. */
  void text(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    send(ResidentProtocol.TEXT, payload, payload.length);
  }

  private void send(byte kind, byte[] payload, int length) throws IOException {
    synchronized (out) {
      ResidentProtocol.writeFrame(out, kind, payload, 0, length);
      out.flush();
    }
  }

  /** Standard output or error: buffered, sent as frames of its kind. */
  private final class FrameOutput extends OutputStream {

    private final byte kind;
    private final byte[] buffer = new byte[OUTPUT_BUFFER];
    private int length;

    FrameOutput(byte kind) {
      this.kind = kind;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      if (length == buffer.length) {
        flush();
      }
      buffer[length++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int count) throws IOException {
      while (count > 0) {
        if (length == buffer.length) {
          flush();
        }
        int chunk = Math.min(count, buffer.length - length);
        System.arraycopy(bytes, offset, buffer, length, chunk);
        length += chunk;
        offset += chunk;
        count -= chunk;
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      if (length > 0) {
        int sent = length;
        length = 0; // a client gone loses the bytes, not the command
        send(kind, buffer, sent);
      }
    }
  }

  /**
   * Standard input: asks the client for it on the first read, then hands over its frames as they
   * come; an empty frame is its end. A client gone before that ends it too.
   */
  private final class ClientInput extends InputStream {

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
    private boolean asked;
    private byte[] chunk = new byte[0];
    private int position;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] bytes, int offset, int count) throws IOException {
      if (count == 0) {
        return 0;
      }
      while (position == chunk.length) {
        if (ended) {
          return -1;
        }
        next();
      }
      int copied = Math.min(count, chunk.length - position);
      System.arraycopy(chunk, position, bytes, offset, copied);
      position += copied;
      return copied;
    }

    private void next() throws IOException {
      if (!asked) {
        asked = true;
        send(ResidentProtocol.INPUT_WANTED, new byte[0], 0);
        Thread reader = new Thread(this::receive, "client-input");
        reader.setDaemon(true);
        reader.start();
      }
      try {
        chunk = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted reading standard input", e);
      }
      position = 0;
      ended = chunk.length == 0;
    }

    /** Moves the client's input frames into the queue; the end, or the client's going, last. */
    private void receive() {
      try {
        while (true) {
          Frame frame = Frame.read(in);
          if (frame.kind() != ResidentProtocol.INPUT) {
            throw new IOException("unexpected frame '" + (char) frame.kind() + "'");
          }
          chunks.put(frame.payload());
          if (frame.payload().length == 0) {
            return;
          }
        }
      } catch (IOException | InterruptedException e) {
        try {
          chunks.put(new byte[0]);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}

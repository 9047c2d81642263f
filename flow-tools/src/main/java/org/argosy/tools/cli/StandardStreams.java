package org.argosy.tools.cli;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The standard input and output a file tool reads with {@code -r -} and writes with {@code -w -}:
 * the process's own, or a client's when the resident process runs the tool for it.
 */
public record StandardStreams(InputStream in, OutputStream out) {

  /** The process's standard input and output. */
  public static StandardStreams system() {
    return new StandardStreams(System.in, System.out);
  }
}

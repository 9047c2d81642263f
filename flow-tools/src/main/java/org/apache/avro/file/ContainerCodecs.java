package org.apache.avro.file;

/**
 * Avro creates a container file's block codec only inside this package ({@code
 * CodecFactory.createInstance()} is protected); argosy's block-checking flow file reader needs the
 * same codecs, so this one method lives here.
 */
public final class ContainerCodecs {

  private ContainerCodecs() {}

  /** The codec a container file names in its {@code avro.codec} header entry. */
  public static Codec forName(String name) {
    return CodecFactory.fromString(name).createInstance();
  }
}

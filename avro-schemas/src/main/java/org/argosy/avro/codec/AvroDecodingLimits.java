package org.argosy.avro.codec;

import java.lang.reflect.Method;

/**
 * Caps what Avro allocates for one decoded string, byte array or collection. Avro's defaults allow
 * about 2^31 items, so a few random bytes after a valid header would make the decoder allocate
 * gigabytes before noticing the payload is too short. A value set on the command line wins.
 */
final class AvroDecodingLimits {

  static final int MAX_COLLECTION_ITEMS = 1_000_000;
  static final int MAX_STRING_BYTES = 16 << 20;
  static final int MAX_BYTES_LENGTH = 64 << 20;

  private AvroDecodingLimits() {}

  static void install() {
    System.getProperties()
        .putIfAbsent(
            "org.apache.avro.limits.collectionItems.maxLength",
            Integer.toString(MAX_COLLECTION_ITEMS));
    System.getProperties()
        .putIfAbsent("org.apache.avro.limits.string.maxLength", Integer.toString(MAX_STRING_BYTES));
    System.getProperties()
        .putIfAbsent("org.apache.avro.limits.bytes.maxLength", Integer.toString(MAX_BYTES_LENGTH));
    reloadLimits();
  }

  /** Avro reads the properties once; make it read them again in case another user loaded it. */
  private static void reloadLimits() {
    try {
      Method reset =
          Class.forName("org.apache.avro.SystemLimitException").getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot apply Avro decoding limits", e);
    }
  }
}

package org.argosy.avro.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every published version of a record schema, kept as resources {@code
 * /org/argosy/avro/history/NAME/v1.avsc}, {@code v2.avsc}, ... Readers register them all so that
 * records written by older sensors still decode, and the compatibility test checks each new version
 * against them.
 */
public final class SchemaHistory {

  private SchemaHistory() {}

  /** The published versions of the named record, oldest first; empty if none was published. */
  public static List<Schema> versionsOf(String recordName) {
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = resourcePath(recordName, version);
      try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
        if (in == null) {
          return versions;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema history " + resource, e);
      }
    }
  }

  /** Where version {@code version} of the named record lives on the class path. */
  public static String resourcePath(String recordName, int version) {
    return "/org/argosy/avro/history/" + recordName + "/v" + version + ".avsc";
  }
}

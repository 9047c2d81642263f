package org.argosy.sensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * argus-intended-differences.tsv: the differences from Argus that are intended, each with its
 * reason. Columns: capture file, flow key (or {@code *} for every flow of the file), field (or
 * {@code *}), reason. Lines starting with {@code #} are comments.
 */
final class IntendedDifferences {

  private record Entry(String file, String key, String field, String reason) {
    boolean covers(String file, String key, String field) {
      return this.file.equals(file)
          && (this.key.equals("*") || this.key.equals(key))
          && (this.field.equals("*") || this.field.equals(field));
    }
  }

  private final List<Entry> entries;
  private final boolean[] used;

  private IntendedDifferences(List<Entry> entries) {
    this.entries = entries;
    this.used = new boolean[entries.size()];
  }

  static IntendedDifferences load() throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (InputStream in =
        IntendedDifferences.class.getResourceAsStream("/argus-intended-differences.tsv")) {
      if (in == null) {
        throw new IOException("argus-intended-differences.tsv is not on the test class path");
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 4 || f[3].isBlank()) {
          throw new IOException("needs 4 tab-separated columns, the last a reason: " + line);
        }
        entries.add(new Entry(f[0], f[1], f[2], f[3]));
      }
    }
    return new IntendedDifferences(entries);
  }

  /**
   * Whether {@code difference} (file TAB key TAB field TAB ...) is listed; marks its entry used.
   */
  boolean covers(String difference) {
    String[] f = difference.split("\t", -1);
    boolean covered = false;
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).covers(f[0], f[1], f[2])) {
        used[i] = true;
        covered = true;
      }
    }
    return covered;
  }

  /** Entries that covered nothing: differences that were fixed or no longer occur. */
  List<String> unused() {
    List<String> unused = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!used[i]) {
        Entry e = entries.get(i);
        unused.add(String.join("\t", e.file(), e.key(), e.field()));
      }
    }
    return unused;
  }
}

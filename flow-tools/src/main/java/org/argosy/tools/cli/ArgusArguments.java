package org.argosy.tools.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Argus writes the filter after a lone "-": {@code racluster -m proto dport - tcp}. A list option
 * such as -m or -s takes every word up to the next option, the "-" and the filter included, so the
 * filter is split off from there.
 */
public final class ArgusArguments {

  /** A list option's own words and the filter words after the lone "-". */
  public record Split(List<String> option, String filter) {}

  private ArgusArguments() {}

  /**
   * @param option the words a list option took (may be null when not given)
   * @param positional the command's positional words
   * @throws IllegalArgumentException when positional words are not introduced by "-"
   */
  public static Split split(List<String> option, List<String> positional) {
    List<String> own = option;
    List<String> rest = new ArrayList<>();
    if (option != null && option.contains("-")) {
      int dash = option.indexOf("-");
      own = option.subList(0, dash);
      rest.addAll(option.subList(dash, option.size()));
    }
    rest.addAll(positional);
    if (!rest.isEmpty() && !rest.get(0).equals("-")) {
      throw new IllegalArgumentException(
          "unexpected '" + rest.get(0) + "': put a filter after a lone '-', e.g. - tcp");
    }
    String filter = rest.isEmpty() ? "" : String.join(" ", rest.subList(1, rest.size()));
    return new Split(own == null ? null : List.copyOf(own), filter);
  }
}

package org.argosy.tools.cli;

import java.util.ArrayList;
import java.util.List;
import org.argosy.query.ClusterKeySpec;
import org.argosy.query.filter.FlowFilter;

/**
 * Argus writes the filter after a lone "-": {@code racluster -m proto dport - tcp}. A list option
 * such as -m or -s takes every word up to the next option, the "-" and the filter included, so the
 * filter is split off from there.
 */
public final class ArgusArguments {

  /** Argus's key when no -m is given: one line per conversation. */
  public static final List<String> CONVERSATION =
      List.of("proto", "saddr", "sport", "daddr", "dport");

  /** A list option's own words and the filter words after the lone "-". */
  public record Split(List<String> option, String filter) {}

  /** An -m key and the filter after it, parsed. */
  public record KeysAndFilter(ClusterKeySpec keys, FlowFilter filter) {}

  private ArgusArguments() {}

  /**
   * Parses {@code -m KEYS [- FILTER]}; without -m the key is the conversation.
   *
   * @throws IllegalArgumentException (an InvalidQueryException for a bad key or filter) naming the
   *     problem
   */
  public static KeysAndFilter keysAndFilter(List<String> keys, List<String> positional) {
    Split split = split(keys, positional);
    return new KeysAndFilter(
        ClusterKeySpec.parse(split.option() == null ? CONVERSATION : split.option()),
        FlowFilter.parse(split.filter()));
  }

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

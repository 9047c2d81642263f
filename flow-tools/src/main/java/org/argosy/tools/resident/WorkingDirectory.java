package org.argosy.tools.resident;

import java.nio.file.Path;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A client's working directory, against which the resident process resolves the file names a
 * command was given: one JVM has one working directory, and its clients each have their own. The
 * options that name files are those whose parameter is labelled FILE or DIR, the tools' convention;
 * {@code -} (standard input or output) stays as it is.
 */
record WorkingDirectory(Path path) {

  private static final Set<String> PATH_LABELS = Set.of("FILE", "DIR");

  /** Rewrites the file names among the options of {@code parsed} and its subcommands. */
  void resolve(ParseResult parsed) {
    for (ParseResult command = parsed; command != null; command = command.subcommand()) {
      for (OptionSpec option : command.matchedOptions()) {
        if (PATH_LABELS.contains(option.paramLabel())) {
          option.setValue(resolved(option.getValue()));
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Object resolved(Object value) {
    if (value instanceof List<?> list) {
      ListIterator<Object> names = ((List<Object>) list).listIterator();
      while (names.hasNext()) {
        names.set(resolved(names.next()));
      }
      return list;
    }
    if (value instanceof Path name) {
      return path.resolve(name);
    }
    if (value instanceof String name && !name.equals("-")) {
      return path.resolve(name).toString();
    }
    return value;
  }
}

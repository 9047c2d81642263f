package org.argosy.query.filter;

import java.io.Serializable;
import java.util.Set;
import java.util.function.Consumer;
import org.argosy.avro.FlowRecord;

/**
 * A compiled Argus filter expression ({@code ra - 'src net 10.0.0.0/8 and bytes gt 1000'}): parsed
 * once, then a cheap test per record. See {@link FilterParser} for the language. A filter that does
 * not parse is a {@link FilterSyntaxException}; only a blank filter means every record, as {@code
 * ra} without a filter.
 */
public final class FlowFilter implements Serializable {

  private static final long serialVersionUID = 2L;
  private static final FlowFilter ALL = new FlowFilter("", Term.reading(record -> true));

  private final String text;
  private final FlowPredicate predicate;
  private final Set<String> fields;

  private FlowFilter(String text, Term term) {
    this.text = text;
    this.predicate = term.predicate();
    this.fields = term.fields();
  }

  /**
   * Compiles {@code text}.
   *
   * @throws FilterSyntaxException naming the column and what was expected there
   */
  public static FlowFilter parse(String text) {
    if (text == null || text.isBlank()) {
      return ALL;
    }
    return new FlowFilter(text.strip(), new FilterParser(text.strip()).parse());
  }

  /** The filter that passes every record. */
  public static FlowFilter all() {
    return ALL;
  }

  public boolean matches(FlowRecord record) {
    return predicate.test(record);
  }

  /** {@code sink} behind this filter: it is handed only the records that pass. */
  public Consumer<FlowRecord> passing(Consumer<FlowRecord> sink) {
    return isAll()
        ? sink
        : record -> {
          if (matches(record)) {
            sink.accept(record);
          }
        };
  }

  /**
   * The {@link FlowRecord} fields (Avro names, as the columns of a columnar flow file) that {@link
   * #matches} can read: a record whose other fields hold defaults, nulls or any other values gets
   * the same answer, so a reader need fill only these. Empty for {@link #all()}. Unmodifiable.
   */
  public Set<String> fields() {
    return fields;
  }

  /** Whether this is the match-everything filter (a blank expression). */
  public boolean isAll() {
    return text.isEmpty();
  }

  /** The expression as written (trimmed); empty for {@link #all()}. */
  @Override
  public String toString() {
    return text;
  }
}

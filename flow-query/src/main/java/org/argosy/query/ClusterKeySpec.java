package org.argosy.query;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.argosy.avro.KeyField;

/**
 * A racluster {@code -m} key: the ordered fields records are grouped by, with optional address
 * masks ({@code saddr/24}, {@code daddr/64}). As in Argus, {@code sport} or {@code dport} imply
 * {@code proto}. A key value is encoded as one string so that it hashes and compares cheaply as a
 * Flink key.
 */
public final class ClusterKeySpec implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final char SEPARATOR = '\u001f';

  private final List<Term> terms;

  private ClusterKeySpec(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  /** One field of the key, with a prefix length for masked addresses (-1 when unmasked). */
  private record Term(FlowKeyField field, int prefixLength) implements Serializable {
    String name() {
      return prefixLength < 0 ? field.argusName() : field.argusName() + "/" + prefixLength;
    }

    String valueOf(FlowRecord record) {
      if (prefixLength < 0) {
        return field.valueOf(record);
      }
      IpAddress address = field == FlowKeyField.SADDR ? record.getSaddr() : record.getDaddr();
      return address == null ? "" : IpAddresses.format(IpAddresses.mask(address, prefixLength));
    }
  }

  /** Parses terms such as {@code [proto, dport]} or {@code [saddr/24]}. */
  public static ClusterKeySpec parse(List<String> words) {
    if (words.isEmpty()) {
      throw new InvalidQueryException("empty cluster key: name at least one field after -m");
    }
    List<Term> terms = new ArrayList<>();
    for (String word : words) {
      Term term = parseTerm(word);
      if (terms.stream().anyMatch(t -> t.field() == term.field())) {
        throw new InvalidQueryException("cluster key field '" + word + "' given twice");
      }
      terms.add(term);
    }
    boolean hasPort =
        terms.stream()
            .anyMatch(t -> t.field() == FlowKeyField.SPORT || t.field() == FlowKeyField.DPORT);
    if (hasPort && terms.stream().noneMatch(t -> t.field() == FlowKeyField.PROTO)) {
      terms.add(0, new Term(FlowKeyField.PROTO, -1));
    }
    return new ClusterKeySpec(terms);
  }

  public static ClusterKeySpec parse(String spaceSeparated) {
    return parse(Arrays.asList(spaceSeparated.trim().split("\\s+")));
  }

  private static Term parseTerm(String word) {
    int slash = word.indexOf('/');
    String name = slash < 0 ? word : word.substring(0, slash);
    FlowKeyField field = FlowKeyField.byArgusName(name);
    if (field == null) {
      throw new InvalidQueryException(
          "unknown cluster key field '"
              + name
              + "'; known fields: "
              + Arrays.stream(FlowKeyField.values())
                  .map(FlowKeyField::argusName)
                  .collect(Collectors.joining(" ")));
    }
    if (slash < 0) {
      return new Term(field, -1);
    }
    if (!field.isAddress()) {
      throw new InvalidQueryException("mask '" + word + "': only saddr and daddr take a /prefix");
    }
    String prefix = word.substring(slash + 1);
    if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > 128) {
      throw new InvalidQueryException("mask '" + word + "': prefix length must be 0..128");
    }
    return new Term(field, Integer.parseInt(prefix));
  }

  /** Field names as the user wrote them, masks included, in key order. */
  public List<String> fieldNames() {
    return terms.stream().map(Term::name).toList();
  }

  /**
   * The fields, in key order, without masks: a reader may group by their raw values first, since a
   * key is a function of them, and then key each group by {@link #keyOf}.
   */
  public List<FlowKeyField> fields() {
    return terms.stream().map(Term::field).toList();
  }

  /** The encoded key of a record. */
  public String keyOf(FlowRecord record) {
    StringBuilder key = new StringBuilder();
    for (Term term : terms) {
      if (key.length() > 0 || term != terms.get(0)) {
        key.append(SEPARATOR);
      }
      key.append(term.valueOf(record));
    }
    return key.toString();
  }

  /** Decodes a key from {@link #keyOf} into named fields. */
  public List<KeyField> keyFields(String key) {
    String[] values = key.split(String.valueOf(SEPARATOR), -1);
    if (values.length != terms.size()) {
      throw new IllegalArgumentException(
          "key has " + values.length + " values, spec " + terms.size());
    }
    List<KeyField> fields = new ArrayList<>(terms.size());
    for (int i = 0; i < values.length; i++) {
      fields.add(new KeyField(terms.get(i).name(), values[i]));
    }
    return fields;
  }

  @Override
  public String toString() {
    return String.join(" ", fieldNames());
  }
}

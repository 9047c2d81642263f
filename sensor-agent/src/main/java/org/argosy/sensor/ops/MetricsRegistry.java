package org.argosy.sensor.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Pattern;

/**
 * Metrics read at scrape time from the counters the sensor keeps anyway, written in the Prometheus
 * text exposition format (version 0.0.4). Nothing is copied on the packet path.
 */
public final class MetricsRegistry {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /** Counter, gauge or summary, as Prometheus types them. */
  public enum Type {
    COUNTER,
    GAUGE,
    SUMMARY
  }

  /** One line of a family: its name is the family's plus {@code suffix} (a summary's _sum). */
  private record Sample(String suffix, Map<String, String> labels, DoubleSupplier value) {}

  private record Family(String name, String help, Type type, List<Sample> samples) {}

  private final Map<String, Family> families = new LinkedHashMap<>();

  /** Registers one sample of a metric; several calls with other labels add samples. */
  public synchronized MetricsRegistry register(
      String name, String help, Type type, Map<String, String> labels, DoubleSupplier value) {
    if (type == Type.SUMMARY) {
      throw new IllegalArgumentException("register a summary with summary(...)");
    }
    family(name, help, type).samples().add(new Sample("", Map.copyOf(labels), value));
    return this;
  }

  /**
   * Registers a summary: the given quantiles (e.g. 0.5 and 0.99) as computed now by {@code
   * quantile}, and the {@code _sum} and {@code _count} of every observation so far.
   */
  public synchronized MetricsRegistry summary(
      String name,
      String help,
      List<Double> quantiles,
      DoubleUnaryOperator quantile,
      DoubleSupplier sum,
      DoubleSupplier count) {
    Family family = family(name, help, Type.SUMMARY);
    if (!family.samples().isEmpty()) {
      throw new IllegalArgumentException(name + " registered before");
    }
    for (double q : quantiles) {
      family
          .samples()
          .add(new Sample("", Map.of("quantile", format(q)), () -> quantile.applyAsDouble(q)));
    }
    family.samples().add(new Sample("_sum", Map.of(), sum));
    family.samples().add(new Sample("_count", Map.of(), count));
    return this;
  }

  private Family family(String name, String help, Type type) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a Prometheus metric name: " + name);
    }
    Family family =
        families.computeIfAbsent(name, n -> new Family(n, help, type, new ArrayList<>()));
    if (family.type() != type) {
      throw new IllegalArgumentException(name + " registered as " + family.type() + " before");
    }
    return family;
  }

  public MetricsRegistry counter(String name, String help, DoubleSupplier value) {
    return register(name, help, Type.COUNTER, Map.of(), value);
  }

  public MetricsRegistry gauge(String name, String help, DoubleSupplier value) {
    return register(name, help, Type.GAUGE, Map.of(), value);
  }

  /** The current values in the text exposition format. */
  public synchronized String scrape() {
    StringBuilder out = new StringBuilder();
    for (Family family : families.values()) {
      out.append("# HELP ").append(family.name()).append(' ').append(escapeHelp(family.help()));
      out.append("\n# TYPE ").append(family.name()).append(' ');
      out.append(family.type().name().toLowerCase(Locale.ROOT)).append('\n');
      for (Sample sample : family.samples()) {
        out.append(family.name()).append(sample.suffix());
        if (!sample.labels().isEmpty()) {
          out.append('{');
          sample.labels().entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .forEach(
                  label ->
                      out.append(label.getKey())
                          .append("=\"")
                          .append(escapeLabel(label.getValue()))
                          .append("\","));
          out.setLength(out.length() - 1);
          out.append('}');
        }
        out.append(' ').append(format(sample.value().getAsDouble())).append('\n');
      }
    }
    return out.toString();
  }

  private static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String escapeLabel(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}

package org.argosy.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;

/**
 * Aggregates and rankings as JSON, for consumers that read no Avro (topics {@code
 * flow-aggregates-json} and {@code flow-topn-json}, and the alerts' evidence). Times are ISO-8601
 * UTC with microseconds; the cluster key is an object of field name to value; derived metrics
 * (bytes, pkts, load, rate, dur) are written beside the counters they come from.
 *
 * <pre>
 * {"report":"top-dports","window":{"start":"…","end":"…"},"sortKeys":["bytes","load"],"n":10,
 *  "keyCount":14,"rows":[{"rank":1,"key":{"proto":"6","dport":"80"},"bytes":2023013,…},…]}
 * </pre>
 */
public final class FlowJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FlowJson() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** One aggregate with its report and window. */
  public static String aggregate(FlowAggregate aggregate) {
    ObjectNode json = object();
    json.put("report", aggregate.getReport());
    window(json, aggregate.getWindowStart(), aggregate.getWindowEnd());
    counters(json, aggregate);
    return text(json);
  }

  /** One ranking, its rows ranked from 1. */
  public static String ranking(TopNRanking ranking) {
    ObjectNode json = object();
    json.put("report", ranking.getReport());
    window(json, ranking.getWindowStart(), ranking.getWindowEnd());
    ranking.getSortKeys().forEach(json.putArray("sortKeys")::add);
    json.put("n", ranking.getN());
    json.put("keyCount", ranking.getKeyCount());
    var rows = json.putArray("rows");
    int rank = 1;
    for (FlowAggregate row : ranking.getRows()) {
      ObjectNode ranked = rows.addObject();
      ranked.put("rank", rank++);
      counters(ranked, row);
    }
    return text(json);
  }

  /** The key fields of {@code aggregate} as {@code key}, then its counters and metrics. */
  public static void counters(ObjectNode into, FlowAggregate aggregate) {
    key(into.putObject("key"), aggregate.getKey());
    into.put("pkts", AggregateMetrics.pkts(aggregate));
    into.put("bytes", AggregateMetrics.bytes(aggregate));
    into.put("spkts", aggregate.getSpkts());
    into.put("dpkts", aggregate.getDpkts());
    into.put("sbytes", aggregate.getSbytes());
    into.put("dbytes", aggregate.getDbytes());
    into.put("sappbytes", aggregate.getSappbytes());
    into.put("dappbytes", aggregate.getDappbytes());
    into.put("trans", aggregate.getTrans());
    into.put("load", AggregateMetrics.load(aggregate));
    into.put("rate", AggregateMetrics.rate(aggregate));
    into.put("dur", AggregateMetrics.dur(aggregate));
    into.put("stime", time(aggregate.getStime()));
    into.put("ltime", time(aggregate.getLtime()));
  }

  public static void key(ObjectNode into, Iterable<KeyField> key) {
    for (KeyField field : key) {
      into.put(field.getName(), field.getValue());
    }
  }

  public static void window(ObjectNode into, long startMicros, long endMicros) {
    ObjectNode window = into.putObject("window");
    window.put("start", time(startMicros));
    window.put("end", time(endMicros));
  }

  /** Microseconds since the epoch as ISO-8601 UTC. */
  public static String time(long micros) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
  }

  public static String text(ObjectNode json) {
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers always serializes", e);
    }
  }
}

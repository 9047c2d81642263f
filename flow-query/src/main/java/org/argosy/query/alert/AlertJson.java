package org.argosy.query.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowAlert;
import org.argosy.query.FlowJson;

/**
 * An alert as one line of JSON, the form of topic {@code flow-alerts}: readable by any Kafka
 * consumer without Avro. Times are ISO-8601 UTC with microseconds; key fields are an object of
 * field name to value; each evidence row is a flow with its key fields and counters ({@link
 * FlowJson#counters}).
 *
 * <pre>
 * {"id":"…","rule":"elephant-flows","severity":"CRITICAL","status":"OPEN","sites":["site-a"],
 *  "window":{"start":"2026-11-29T10:00:00Z","end":"2026-11-29T10:01:00Z"},
 *  "key":{"proto":"6","saddr":"10.0.0.1",…},"observed":1.8E9,"threshold":1.0E9,
 *  "evidence":[{"key":{"site":"site-a","proto":"6",…},"pkts":…,"bytes":…,"trans":3,…}],
 *  "firstSeen":"…","lastSeen":"…"}
 * </pre>
 */
public final class AlertJson {

  private AlertJson() {}

  public static String encode(FlowAlert alert) {
    ObjectNode json = FlowJson.object();
    json.put("id", alert.getId());
    json.put("rule", alert.getRule());
    json.put("severity", alert.getSeverity().name());
    json.put("status", alert.getStatus().name());
    ArrayNode sites = json.putArray("sites");
    alert.getSites().forEach(sites::add);
    FlowJson.window(json, alert.getWindowStart(), alert.getWindowEnd());
    FlowJson.key(json.putObject("key"), alert.getKey());
    json.put("observed", alert.getObserved());
    json.put("threshold", alert.getThreshold());
    ArrayNode evidence = json.putArray("evidence");
    for (FlowAggregate row : alert.getEvidence()) {
      FlowJson.counters(evidence.addObject(), row);
    }
    json.put("firstSeen", FlowJson.time(alert.getFirstSeen()));
    json.put("lastSeen", FlowJson.time(alert.getLastSeen()));
    return FlowJson.text(json);
  }
}

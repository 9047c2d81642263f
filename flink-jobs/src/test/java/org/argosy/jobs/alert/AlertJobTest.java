package org.argosy.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.argosy.avro.AlertStatus;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;
import org.argosy.query.IpAddresses;
import org.argosy.query.alert.AlertRule;
import org.argosy.query.alert.AlertRuleFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AlertJobTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final long SECOND = 1_000_000L;
  private static final long BASE = 1_700_000_000L * SECOND; // a multiple of 10 s
  private static final long WINDOW = 10 * SECOND;

  /** One rule of each kind over 10 s windows; cooldown 0 so every window updates. */
  private static final String RULES =
      """
      rules:
        - name: port-scan
          kind: distinct
          keys: saddr
          count: dport
          above: 100
          window: 10s
        - name: syn-flood
          kind: threshold
          filter: tcp and req
          keys: daddr
          metric: trans
          above: 50
          window: 10s
        - name: dport-bytes
          kind: threshold
          scope: site
          keys: proto dport
          metric: bytes
          above: 1G
          window: 10s
          cooldown: 0s
        - name: elephant
          kind: elephant
          above: 1G
          share: 90%
          window: 10s
          severity: critical
          cooldown: 0s
        - name: new-talker
          kind: new-key
          filter: src net 10.0.0.0/24
          keys: saddr
          absent: 2
          window: 10s
        - name: new-top-port
          kind: top-entry
          keys: proto dport
          n: 1
          absent: 3
          window: 10s
        - name: ephemeral-top
          kind: top-ephemeral
          keys: proto dport
          n: 2
          share: 50%
          window: 10s
          cooldown: 0s
      """;

  static FlowRecord record(
      String site, String saddr, String daddr, int dport, long stime, long bytes, String state) {
    return FlowRecord.newBuilder()
        .setSite(site)
        .setSensorId("sensor-" + site)
        .setIface("eth0")
        .setSeq(0)
        .setStime(stime)
        .setLtime(stime + SECOND / 2)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .setProto(6)
        .setSaddr(IpAddresses.parse(saddr))
        .setDaddr(IpAddresses.parse(daddr))
        .setSport(40000)
        .setDport(dport)
        .setSpkts(Math.max(1, bytes / 1500))
        .setDpkts(state.equals("REQ") ? 0 : 1)
        .setSbytes(bytes)
        .setDbytes(state.equals("REQ") ? 0 : 60)
        .setState(state)
        .build();
  }

  /** Five hosts talking https to one server, one record each per window. */
  private static List<FlowRecord> normalTraffic(int windows) {
    List<FlowRecord> records = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      for (int host = 1; host <= 5; host++) {
        records.add(
            record(
                "a",
                "10.0.0." + host,
                "10.0.0.100",
                443,
                BASE + w * WINDOW + host * SECOND,
                1000,
                "CON"));
      }
    }
    return records;
  }

  private static List<FlowAlert> run(List<FlowRecord> records) throws Exception {
    List<AlertRule> rules = AlertRuleFile.parse(RULES, "test-rules.yaml");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    List<FlowRecord> ordered = new ArrayList<>(records);
    ordered.sort(Comparator.comparingLong(FlowRecord::getStime));
    DataStream<FlowRecord> flows =
        env.fromData(ordered)
            .setParallelism(1)
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<FlowRecord>forMonotonousTimestamps()
                    .withTimestampAssigner((r, previous) -> r.getStime() / 1000));
    AlertJob.Outputs outputs = AlertJob.alerts(flows, rules, 4);
    CloseableIterator<FlowAlert> alerts = outputs.alerts().collectAsync();
    env.execute("alert job test");
    List<FlowAlert> collected = new ArrayList<>();
    alerts.forEachRemaining(collected::add);
    collected.sort(
        Comparator.comparing((FlowAlert a) -> a.getRule())
            .thenComparingLong(FlowAlert::getWindowStart)
            .thenComparing(a -> a.getStatus().ordinal()));
    return collected;
  }

  private static List<FlowAlert> of(List<FlowAlert> alerts, String rule) {
    return alerts.stream().filter(a -> a.getRule().equals(rule)).toList();
  }

  private static List<AlertStatus> statuses(List<FlowAlert> alerts) {
    return alerts.stream().map(FlowAlert::getStatus).toList();
  }

  private static String key(FlowAlert alert) {
    return String.join(
        " ", alert.getKey().stream().map(f -> f.getName() + "=" + f.getValue()).toList());
  }

  @Test
  void normalTrafficRaisesNothing() throws Exception {
    assertThat(run(normalTraffic(30))).isEmpty();
  }

  @Test
  void eachScenarioRaisesItsAlertsOnceThenUpdatesAndResolves() throws Exception {
    List<FlowRecord> records = new ArrayList<>(normalTraffic(7));
    // Window 2: 10.0.0.66 probes 200 ports of the server, each a lone SYN.
    for (int port = 1; port <= 200; port++) {
      records.add(
          record("a", "10.0.0.66", "10.0.0.100", port, BASE + 2 * WINDOW + port * 1000, 60, "REQ"));
    }
    // Windows 3 and 4, site b: one database transfer to a high port, 1.2 GB in each window.
    for (int w = 3; w <= 4; w++) {
      records.add(
          record(
              "b",
              "10.0.0.7",
              "10.0.0.8",
              51515,
              BASE + w * WINDOW + 5 * SECOND,
              1_200_000_000L,
              "CON"));
    }
    List<FlowAlert> alerts = run(records);

    List<FlowAlert> scan = of(alerts, "port-scan");
    assertThat(statuses(scan)).containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
    assertThat(key(scan.get(0))).isEqualTo("saddr=10.0.0.66");
    assertThat(scan.get(0).getObserved()).isEqualTo(200);
    assertThat(scan.get(0).getThreshold()).isEqualTo(100);
    assertThat(scan.get(0).getWindowStart()).isEqualTo(BASE + 2 * WINDOW);
    assertThat(scan.get(0).getEvidence()).hasSize(3);
    assertThat(scan.get(1).getId()).isEqualTo(scan.get(0).getId());

    List<FlowAlert> syn = of(alerts, "syn-flood");
    assertThat(statuses(syn)).containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
    assertThat(key(syn.get(0))).isEqualTo("daddr=10.0.0.100");
    assertThat(syn.get(0).getObserved()).isEqualTo(200);

    List<FlowAlert> dport = of(alerts, "dport-bytes");
    assertThat(statuses(dport))
        .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATE, AlertStatus.RESOLVED);
    assertThat(key(dport.get(0))).isEqualTo("site=b proto=6 dport=51515");
    assertThat(dport.get(0).getSites()).containsExactly("b");
    assertThat(dport.get(2).getFirstSeen()).isEqualTo(BASE + 3 * WINDOW);
    assertThat(dport.get(2).getLastSeen()).isEqualTo(BASE + 5 * WINDOW);

    List<FlowAlert> elephant = of(alerts, "elephant");
    assertThat(statuses(elephant))
        .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATE, AlertStatus.RESOLVED);
    assertThat(key(elephant.get(0)))
        .isEqualTo("proto=6 saddr=10.0.0.7 sport=40000 daddr=10.0.0.8 dport=51515");
    assertThat(elephant.get(0).getObserved()).isEqualTo(1_200_000_060.0);
    assertThat(elephant.get(0).getEvidence())
        .singleElement()
        .satisfies(row -> assertThat(row.getKey()).contains(new KeyField("site", "b")));

    // Learning in windows 0 and 1; the scanner is new in window 2, the database host in 3.
    List<FlowAlert> talkers = of(alerts, "new-talker");
    assertThat(talkers.stream().filter(a -> a.getStatus() == AlertStatus.OPEN).map(this::keyOf))
        .containsExactly("saddr=10.0.0.66", "saddr=10.0.0.7");
    assertThat(statuses(talkers)).containsOnly(AlertStatus.OPEN, AlertStatus.RESOLVED).hasSize(4);

    // 443 leaves the top for windows 3 and 4 only: not absent long enough to be new again.
    List<FlowAlert> top = of(alerts, "new-top-port");
    assertThat(statuses(top)).containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
    assertThat(key(top.get(0))).isEqualTo("proto=6 dport=51515");

    List<FlowAlert> ephemeral = of(alerts, "ephemeral-top");
    assertThat(statuses(ephemeral))
        .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATE, AlertStatus.RESOLVED);
    assertThat(ephemeral.get(0).getKey()).isEmpty();
    assertThat(ephemeral.get(0).getObserved()).isEqualTo(0.5);

    assertThat(alerts.stream().map(FlowAlert::getId).distinct())
        .hasSize(
            (int)
                alerts.stream()
                    .map(a -> a.getRule() + key(a) + a.getFirstSeen())
                    .distinct()
                    .count());
  }

  private String keyOf(FlowAlert alert) {
    return key(alert);
  }
}

package org.argosy.query.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.argosy.avro.AlertSeverity;
import org.argosy.query.FlowKeyField;
import org.argosy.query.SortKey;
import org.junit.jupiter.api.Test;

class AlertRuleFileTest {

  private static AlertRule only(String yaml) {
    List<AlertRule> rules = AlertRuleFile.parse(yaml, "rules.yaml");
    assertThat(rules).hasSize(1);
    return rules.get(0);
  }

  private static void rejects(String yaml, String... messageParts) {
    assertThatThrownBy(() -> AlertRuleFile.parse(yaml, "rules.yaml"))
        .isInstanceOf(AlertRuleFileException.class)
        .message()
        .contains(messageParts);
  }

  @Test
  void readsEveryFieldOfAThresholdRule() {
    AlertRule rule =
        only(
            """
            rules:
              - name: dport-bytes
                kind: threshold
                severity: critical
                scope: site
                filter: tcp
                keys: proto dport
                window: {size: 5m, slide: 1m}
                metric: pkts
                above: 1.5M
                cooldown: 10m
            """);
    assertThat(rule.kind()).isEqualTo(AlertRuleKind.THRESHOLD);
    assertThat(rule.severity()).isEqualTo(AlertSeverity.CRITICAL);
    assertThat(rule.keys().fieldNames()).containsExactly("site", "proto", "dport");
    assertThat(rule.perSite()).isTrue();
    assertThat(rule.window().size()).isEqualTo(Duration.ofMinutes(5));
    assertThat(rule.window().slide()).isEqualTo(Duration.ofMinutes(1));
    assertThat(rule.metric()).isEqualTo(SortKey.PKTS);
    assertThat(rule.above()).isEqualTo(1_500_000);
    assertThat(rule.cooldown()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void fillsDefaults() {
    AlertRule elephant =
        only(
            """
            rules:
              - name: elephants
                kind: elephant
                share: 40%
            """);
    assertThat(elephant.keys().fieldNames())
        .containsExactly("proto", "saddr", "sport", "daddr", "dport");
    assertThat(elephant.share()).isEqualTo(0.4);
    assertThat(elephant.above()).isNaN();
    assertThat(elephant.severity()).isEqualTo(AlertSeverity.WARNING);
    assertThat(elephant.window().size()).isEqualTo(Duration.ofMinutes(1));
    assertThat(elephant.cooldown()).isEqualTo(Duration.ofMinutes(1));

    AlertRule top =
        only(
            """
            rules:
              - name: random-ports
                kind: top-ephemeral
                keys: [proto, dport]
                share: 0.6
            """);
    assertThat(top.n()).isEqualTo(10);
    assertThat(top.ephemeralFrom()).isEqualTo(32768);
    assertThat(top.portField()).isEqualTo(FlowKeyField.DPORT);
    assertThat(top.ranking().order().keyNames()).containsExactly("bytes");
  }

  @Test
  void theShippedRulesLoad() {
    Path shipped =
        Path.of(System.getProperty("argosy.project.root"), "reports", "alert-rules.yaml");
    assertThat(AlertRuleFile.load(shipped))
        .extracting(AlertRule::kind)
        .contains(AlertRuleKind.values());
  }

  @Test
  void namesFileLineRuleAndFieldOfEachMistake() {
    rejects(
        """
        rules:
          - name: scan
            kind: distinct
            keys: saddr
            above: 100
        """,
        "rules.yaml:2",
        "rule 'scan'",
        "count");
    rejects(
        """
        rules:
          - name: scan
            kind: distinct
            keys: saddr
            count: saddr
            above: 100
        """,
        "rules.yaml:5",
        "'saddr' is a key field");
    rejects(
        """
        rules:
          - name: big
            kind: threshold
            keys: dport
            above: lots
        """,
        "rules.yaml:5",
        "field 'above'",
        "'lots' is not an amount");
    rejects(
        """
        rules:
          - name: big
            kind: thresold
            keys: dport
        """,
        "rules.yaml:3",
        "unknown rule kind 'thresold'");
    rejects(
        """
        rules:
          - name: big
            kind: threshold
            keys: dport
            above: 1G
            filter: tcp and prt 80
        """,
        "rules.yaml:6",
        "field 'filter'",
        "column");
    rejects(
        """
        rules:
          - name: big
            kind: threshold
            keys: dport
            above: 1G
            share: 50%
        """,
        "rules.yaml:6", "'share' has no meaning for a threshold rule");
    rejects(
        """
        rules:
          - name: top
            kind: top-entry
            scope: site
            keys: dport
        """,
        "scope",
        "use scope global");
    rejects(
        """
        rules:
          - name: a
            kind: elephant
            above: 1G
          - name: a
            kind: elephant
            above: 2G
        """,
        "rules.yaml:5",
        "used twice");
    rejects("rules: []\n", "a non-empty list 'rules:' is required");
    rejects(
        """
        rules:
          - name: e
            kind: elephant
            shares: 50%
        """,
        "unknown field 'shares'");
  }
}

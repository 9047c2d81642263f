package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.argosy.query.alert.AlertRule;
import org.argosy.query.alert.AlertRuleFile;
import org.junit.jupiter.api.Test;

/** The rule file the alert job mounts is one the alert engine accepts, and the documented one. */
class AlertRulesTest {

  @Test
  void deployedRulesAreTheDocumentedRules() {
    Path deployed = ProjectPaths.k8s().resolve("base/flink/files/alert-rules.yaml");
    Path documented = ProjectPaths.root().resolve("reports/alert-rules.yaml");

    List<AlertRule> rules = AlertRuleFile.load(deployed);
    assertThat(rules).isNotEmpty();
    // Same rules, field by field (AlertRule prints every field, the filter as written).
    assertThat(rules.toString()).isEqualTo(AlertRuleFile.load(documented).toString());
  }
}

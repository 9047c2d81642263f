package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportFile;
import org.junit.jupiter.api.Test;

/** The report file the deployments mount is one the report engine accepts. */
class ReportDefinitionsTest {

  @Test
  void deployedReportFileLoadsWithPerSiteAndGlobalRankings() {
    Path file = ProjectPaths.k8s().resolve("base/flink/files/daily-reports.yaml");

    assertThat(ReportFile.load(file).stream().map(ReportDefinition::name))
        .containsExactly("top-talkers", "top-broadcasters", "top-dports", "top-dports-global");
  }
}

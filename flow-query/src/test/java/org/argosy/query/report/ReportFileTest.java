package org.argosy.query.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportFileTest {

  private static Path projectRoot() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }

  @Test
  void theShippedDailyReportsLoad() {
    List<ReportDefinition> reports =
        ReportFile.load(projectRoot().resolve("reports/daily-reports.yaml"));
    assertThat(reports)
        .extracting(ReportDefinition::name)
        .containsExactly("top-talkers", "top-broadcasters", "top-dports");
    ReportDefinition talkers = reports.get(0);
    assertThat(talkers.filter().toString()).isEqualTo("src net 10.77.0.0/24");
    assertThat(talkers.clusterKey().fieldNames()).containsExactly("saddr");
    assertThat(talkers.window()).isEqualTo(ReportWindow.tumbling(Duration.ofDays(1)));
    assertThat(talkers.order().keyNames()).containsExactly("bytes", "load");
    assertThat(talkers.n()).isEqualTo(10);
    assertThat(talkers.fields()).containsExactly("saddr", "bytes", "load");
    assertThat(talkers.outputs()).containsExactlyInAnyOrder(ReportOutput.values());
    assertThat(reports.get(2).filter().isAll()).isTrue();
    assertThat(reports.get(2).clusterKey().fieldNames()).containsExactly("proto", "dport");
    assertThat(ReportFile.load(projectRoot().resolve("reports/two-hosts.yaml"))).hasSize(2);
  }

  @Test
  void defaultsAndSlidingWindowsInAZone() {
    List<ReportDefinition> reports =
        ReportFile.parse(
            """
            reports:
              - name: minimal
                keys: [saddr/24]
              - name: sliding
                keys: proto dport
                window: {size: 1h, slide: 10m, zone: "+02:00", lateness: 30s}
                sort: [pkts, dport:desc]
                outputs: [topn]
            """,
            "inline");
    ReportDefinition minimal = reports.get(0);
    assertThat(minimal.filter().isAll()).isTrue();
    assertThat(minimal.window()).isEqualTo(ReportWindow.tumbling(Duration.ofMinutes(1)));
    assertThat(minimal.order().keyNames()).containsExactly("bytes");
    assertThat(minimal.fields()).containsExactly("saddr/24", "bytes", "pkts", "trans", "load");
    ReportWindow sliding = reports.get(1).window();
    assertThat(sliding.size()).isEqualTo(Duration.ofHours(1));
    assertThat(sliding.slide()).isEqualTo(Duration.ofMinutes(10));
    assertThat(sliding.isTumbling()).isFalse();
    assertThat(sliding.zone()).isEqualTo(ZoneOffset.ofHours(2));
    assertThat(sliding.allowedLateness()).isEqualTo(Duration.ofSeconds(30));
    assertThat(reports.get(1).outputs()).containsExactly(ReportOutput.TOPN);
  }

  @Test
  void dayWindowsAlignToMidnightOfTheZone() {
    ReportWindow day =
        new ReportWindow(
            Duration.ofDays(1), Duration.ofDays(1), ZoneOffset.ofHours(2), Duration.ZERO);
    // Midnight at +02:00 is 22:00 UTC.
    assertThat(day.alignmentOffset()).isEqualTo(Duration.ofHours(22));
    assertThat(ReportWindow.tumbling(Duration.ofDays(1)).alignmentOffset()).isZero();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiterString = "=>",
      value = {
        "reports: [{name: a, keys: saddr, filter: 'src net 10.0.0.0/33'}]"
            + " => report 'a': field 'filter', column 9: expected a prefix length 0..32",
        "reports: [{name: a, keys: saddr, filter: 'tcp and'}]"
            + " => report 'a': field 'filter', column 8: expected a filter term",
        "reports: [{name: a, keys: sadr}] => report 'a': field 'keys': unknown cluster key field"
            + " 'sadr'",
        "reports: [{name: a, keys: saddr, sort: [bites]}] => field 'sort': unknown sort key 'bites'",
        "reports: [{name: a, keys: saddr, window: 2d}] => field 'window': size must be whole"
            + " seconds from 1s to 1d",
        "reports: [{name: a, keys: saddr, window: soon}] => field 'window': 'soon' is not a duration",
        "reports: [{name: a, keys: saddr, window: {size: 1h, slide: 7m}}] => slide 420s must divide"
            + " size 3600s",
        "reports: [{name: a, keys: saddr, window: {size: 1h, zone: Europe/Paris}}] => daylight"
            + " saving",
        "reports: [{name: a, keys: saddr, n: 0}] => report 'a': field 'n': n must be at least 1",
        "reports: [{name: a, keys: saddr, n: many}] => field 'n': expected a whole number",
        "reports: [{name: a, keys: saddr, fields: [dport]}] => field 'fields': output field"
            + " 'dport' is neither",
        "reports: [{name: a, keys: saddr, outputs: [mail]}] => field 'outputs': unknown output"
            + " 'mail'",
        "reports: [{name: a, keys: saddr, colour: red}] => report 1: unknown field 'colour'",
        "reports: [{keys: saddr}] => report 1: field 'name' is required",
        "reports: [{name: a}] => report 'a': field 'keys' is required",
        "reports: [{name: 'a b', keys: saddr}] => field 'name': name 'a b' must be",
        "reports: [{name: a, keys: saddr}, {name: a, keys: daddr}] => the name is used twice",
        "reports: [] => a non-empty list 'reports:' is required",
        "reprts: [] => unknown field 'reprts'",
        "'reports: [{name: a'  => not valid YAML",
      })
  void badFilesNameTheReportTheFieldAndThePosition(String yaml, String expected) {
    assertThatThrownBy(() -> ReportFile.parse(yaml, "r.yaml"))
        .isInstanceOf(ReportFileException.class)
        .hasMessageStartingWith("r.yaml:1")
        .hasMessageContaining(expected);
  }

  @Test
  void errorsNameTheLineOfTheField() {
    assertThatThrownBy(
            () ->
                ReportFile.parse(
                    """
                    reports:
                      - name: ok
                        keys: saddr
                      - name: broken
                        keys: saddr
                        filter: host 10.0.0.1 or
                    """,
                    "daily.yaml"))
        .hasMessageStartingWith(
            "daily.yaml:6: report 'broken': field 'filter', column 17: expected a filter term");
  }

  @Test
  void aMissingFileIsAClearError() {
    assertThatThrownBy(() -> ReportFile.load(Path.of("/nonexistent/reports.yaml")))
        .isInstanceOf(ReportFileException.class)
        .hasMessageContaining("/nonexistent/reports.yaml: cannot read the report file");
  }
}

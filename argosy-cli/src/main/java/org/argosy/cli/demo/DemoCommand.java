package org.argosy.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.argosy.avro.TopNRanking;
import org.argosy.jobs.topn.TopNReport;
import org.argosy.query.RankingTable;
import org.argosy.query.alert.AlertRule;
import org.argosy.query.alert.AlertRuleFile;
import org.argosy.query.report.ReportDefinition;
import org.argosy.query.report.ReportFile;
import org.argosy.sensor.flow.SensorIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code argosy demo}: the whole pipeline on a capture, rankings printed as tables. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline end to end in this process: an embedded Kafka broker, the sensor on a"
          + " capture file publishing flow records to topic 'flows', the ranking job and the alert"
          + " rules on a local Flink cluster (web UI on 127.0.0.1) writing to 'flow-topn' and"
          + " 'flow-alerts', and prints each ranking.",
      "",
      "Examples:",
      "  argosy demo --once",
      "  argosy demo --pcap traffic.pcap -m saddr/24 --window 60 -N 5",
      "  argosy demo --reports reports/daily-reports.yaml --once",
      "  argosy demo   # runs on; then: argosy sensor -r samples/elephant.pcap --kafka HOST:PORT"
          + " and argosy alerts --follow -S kafka://HOST:PORT/flow-alerts-avro (printed at start)"
    })
public final class DemoCommand implements Callable<Integer> {

  /** Set by the launcher to the project root, where the bundled capture lives. */
  static final String HOME_PROPERTY = "argosy.home";

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--once",
      description = "Exit after the capture is consumed and the last window is printed.")
  private boolean once;

  @Option(
      names = "--pcap",
      paramLabel = "FILE",
      description = "Capture file to replay (default: the bundled samples/demo.pcap).")
  private Path pcap;

  @Option(
      names = "-m",
      arity = "1..*",
      paramLabel = "FIELD",
      description = "Cluster key fields, as racluster -m (default: ${DEFAULT-VALUE}).",
      defaultValue = "proto dport",
      split = " ")
  private List<String> clusterKeys;

  @Option(
      names = "--window",
      paramLabel = "SECONDS",
      description = "Tumbling window length (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  private int windowSeconds;

  @Option(
      names = "-N",
      paramLabel = "N",
      description = "Rows per ranking (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  private int n;

  @Option(
      names = "--reports",
      paramLabel = "FILE",
      description =
          "Run the reports of this file (see reports/daily-reports.yaml) instead of the one"
              + " ranking given by -m, --window and -N.")
  private Path reportsFile;

  @Option(
      names = "--alerts",
      paramLabel = "FILE",
      description =
          "Alert rules to run beside the reports (default: the bundled"
              + " reports/demo-alert-rules.yaml); follow them with `argosy alerts --follow`.")
  private Path alertsFile;

  @Option(names = "--no-alerts", description = "Run no alert rules.")
  private boolean noAlerts;

  @Option(
      names = "--status-interval",
      paramLabel = "SECONDS",
      description = "Sensor status interval; must divide the window (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  private int statusIntervalSeconds;

  @Option(
      names = "--web-ui-port",
      paramLabel = "PORT",
      description =
          "Flink web UI port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).",
      defaultValue = "8081")
  private int webUiPort;

  @Override
  public Integer call() throws Exception {
    if (webUiPort < 0 || webUiPort > 65535) {
      throw usage("--web-ui-port " + webUiPort + " is not a port number");
    }
    List<ReportDefinition> reports = reportsFile != null ? reportsFromFile() : oneRanking();
    Map<String, List<String>> fieldsByReport =
        reports.stream()
            .collect(Collectors.toMap(ReportDefinition::name, ReportDefinition::fields));

    Path capture = pcap != null ? pcap : bundledCapture();
    if (!Files.isReadable(capture)) {
      throw usage("--pcap: cannot read capture file " + capture);
    }

    PrintWriter out = spec.commandLine().getOut();
    List<TopNRanking> collected = new ArrayList<>();
    DemoPipeline.Settings settings =
        new DemoPipeline.Settings(
            capture,
            reports,
            alertRules(),
            statusIntervalSeconds,
            new SensorIdentity("demo", "demo-sensor", capture.getFileName().toString()),
            webUiPort,
            once);
    new DemoPipeline(
            settings,
            ranking -> {
              if (once) {
                collected.add(ranking);
              } else {
                print(out, ranking, fieldsByReport);
              }
            })
        .run();
    collected.sort(
        Comparator.comparingLong(TopNRanking::getWindowStart)
            .thenComparing(ranking -> reportIndex(reports, ranking.getReport())));
    collected.forEach(ranking -> print(out, ranking, fieldsByReport));
    return 0;
  }

  /** The reports of --reports; a bad file stops here, before anything starts. */
  private List<ReportDefinition> reportsFromFile() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    for (String option : List.of("-m", "--window", "-N")) {
      if (parsed.hasMatchedOption(option)) {
        throw usage(option + " cannot be combined with --reports: the file defines the reports");
      }
    }
    return ReportFile.load(reportsFile);
  }

  private List<ReportDefinition> oneRanking() {
    if (windowSeconds < 1
        || statusIntervalSeconds < 1
        || windowSeconds % statusIntervalSeconds != 0) {
      throw usage(
          "--window "
              + windowSeconds
              + " must be a positive multiple of --status-interval "
              + statusIntervalSeconds
              + ", so that no flow record spans two windows");
    }
    try {
      return List.of(
          TopNReport.builder()
              .name("top-" + String.join("-", clusterKeys).replace('/', '_'))
              .clusterKeys(clusterKeys)
              .n(n)
              .window(Duration.ofSeconds(windowSeconds))
              .build()
              .toDefinition());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private static int reportIndex(List<ReportDefinition> reports, String name) {
    return reports.stream().map(ReportDefinition::name).toList().indexOf(name);
  }

  private static synchronized void print(
      PrintWriter out, TopNRanking ranking, Map<String, List<String>> fieldsByReport) {
    out.println(
        RankingTable.format(ranking, fieldsByReport.getOrDefault(ranking.getReport(), List.of())));
    out.flush();
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * The rules of --alerts, or the bundled demo rules when the project is at hand; a bad file stops
   * here.
   */
  private List<AlertRule> alertRules() {
    if (noAlerts) {
      if (alertsFile != null) {
        throw usage("--no-alerts cannot be combined with --alerts");
      }
      return List.of();
    }
    if (alertsFile != null) {
      return AlertRuleFile.load(alertsFile);
    }
    Path bundled =
        Path.of(System.getProperty(HOME_PROPERTY, "."), "reports", "demo-alert-rules.yaml");
    if (!Files.isReadable(bundled)) {
      // Run from a jar outside the repository: there is nothing bundled to run.
      spec.commandLine()
          .getErr()
          .println("demo: no bundled alert rules at " + bundled + "; running without alerts");
      return List.of();
    }
    return AlertRuleFile.load(bundled);
  }

  private static Path bundledCapture() {
    return Path.of(System.getProperty(HOME_PROPERTY, "."), "samples", "demo.pcap");
  }
}

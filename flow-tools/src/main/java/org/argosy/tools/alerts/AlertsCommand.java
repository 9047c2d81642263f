package org.argosy.tools.alerts;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.argosy.avro.AlertStatus;
import org.argosy.avro.FlowAlert;
import org.argosy.query.InvalidQueryException;
import org.argosy.query.alert.AlertJson;
import org.argosy.tools.cli.KafkaClientOptions;
import org.argosy.tools.io.TopicSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code argosy alerts}: the alerts of the alert job, as people read them. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the alerts the alert job wrote (its Avro topic; committed transactions only): a"
          + " headline per alert (window, OPEN/UPDATE/RESOLVED, severity, rule, key), the observed"
          + " value against the threshold, and the flows that contributed most.",
      "The same alerts are JSON lines on topic flow-alerts for any Kafka consumer, e.g."
          + " kafka-console-consumer.sh --topic flow-alerts --isolation-level read_committed.",
      "",
      "Examples:",
      "  argosy alerts --follow",
      "  argosy alerts -S kafka://kafka:9092/flow-alerts-avro --since 2026-11-29T08:00:00Z",
      "  argosy alerts --follow --rule elephant-flows --status open --json"
    })
public final class AlertsCommand implements Callable<Integer> {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(
      names = "-S",
      paramLabel = "kafka://HOST:PORT/TOPIC",
      defaultValue = "kafka://127.0.0.1:9092/flow-alerts-avro",
      description = "The alert job's Avro topic (default: ${DEFAULT-VALUE}).")
  private String topic;

  @CommandLine.Mixin private KafkaClientOptions kafka;

  @Option(names = "--follow", description = "Keep printing new alerts until interrupted.")
  private boolean follow;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Start at alerts written from this UTC time on, e.g. 2026-11-29T08:00:00Z.")
  private Instant since;

  @Option(
      names = "--rule",
      paramLabel = "NAME",
      description = "Only alerts of this rule (repeatable).")
  private Set<String> rules = Set.of();

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only alerts in this status: open, update or resolved (repeatable).")
  private Set<String> statuses = Set.of();

  @Option(names = "--json", description = "One JSON object per alert, as on topic flow-alerts.")
  private boolean json;

  @Override
  public Integer call() {
    TopicSource source;
    Set<AlertStatus> wanted;
    try {
      source = TopicSource.parse(topic, kafka.settings());
      wanted = statuses.stream().map(AlertsCommand::status).collect(Collectors.toSet());
    } catch (IllegalArgumentException e) { // a bad -S, --status or --kafka-config
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    source.read(
        FlowAlert.class,
        follow,
        since,
        alert -> {
          if ((rules.isEmpty() || rules.contains(alert.getRule()))
              && (wanted.isEmpty() || wanted.contains(alert.getStatus()))) {
            out.println(json ? AlertJson.encode(alert) : AlertText.format(alert));
            out.flush();
          }
        });
    if (source.skipped() > 0) {
      spec.commandLine()
          .getErr()
          .printf("argosy alerts: skipped %d records that are not alerts%n", source.skipped());
    }
    return 0;
  }

  private static AlertStatus status(String word) {
    for (AlertStatus status : List.of(AlertStatus.OPEN, AlertStatus.UPDATE, AlertStatus.RESOLVED)) {
      if (status.name().equals(word.toUpperCase(Locale.ROOT))) {
        return status;
      }
    }
    throw new InvalidQueryException(
        "--status '" + word + "' is not a status; use open, update or resolved");
  }
}

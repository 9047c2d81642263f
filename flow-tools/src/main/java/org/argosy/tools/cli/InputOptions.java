package org.argosy.tools.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.argosy.avro.FlowRecord;
import org.argosy.query.filter.FlowFilter;
import org.argosy.tools.io.FlowFiles;
import org.argosy.tools.io.FlowFiles.FlowFileException;
import org.argosy.tools.io.TopicSource;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where ra-style commands read flow records: files (-r), directories (-R) or a topic (-S). */
public final class InputOptions {

  @Option(
      names = "-r",
      paramLabel = "FILE",
      description = "Flow file to read ('-' reads standard input); repeatable.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "-R",
      paramLabel = "DIR",
      description = "Read every flow file under DIR; repeatable.")
  List<Path> directories = new ArrayList<>();

  @Option(
      names = "-S",
      paramLabel = "kafka://HOST:PORT/TOPIC[,TOPIC...]",
      description =
          "Read Kafka topics from their beginning; several topics of one cluster (per-site"
              + " topics such as site-a.flows,site-b.flows) are read together.")
  String topic;

  @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

  @Option(names = "--follow", description = "With -S: keep reading new records until interrupted.")
  boolean follow;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "With -S: start at records from this UTC time on, e.g. 2026-11-29T08:00:00Z.")
  Instant since;

  /** What is wrong with the options, or null. */
  public String problem() {
    if (files.isEmpty() && directories.isEmpty() && topic == null) {
      return "name an input: -r FILE, -R DIR or -S kafka://HOST:PORT/TOPIC";
    }
    if ((follow || since != null) && topic == null) {
      return "--follow and --since need -S";
    }
    if (kafka.file != null && topic == null) {
      return "--kafka-config needs -S kafka://HOST:PORT/TOPIC";
    }
    for (Path directory : directories) {
      if (!Files.isDirectory(directory)) {
        return "-R " + directory + " is not a directory";
      }
    }
    return null;
  }

  /**
   * Parses -S and reads --kafka-config; an InvalidQueryException names a malformed address, a
   * KafkaClientConfigException a wrong client setting.
   */
  public TopicSource topicSource() {
    return topic == null ? null : TopicSource.parse(topic, kafka.settings());
  }

  /** The files -r and -R name, in reading order. */
  public List<String> files() {
    return FlowFiles.sources(files, directories);
  }

  /**
   * Reads the records of every input that pass {@code filter}, in order, into {@code sink}; {@code
   * -r -} reads {@code standardInput}.
   */
  public void readAll(
      InputStream standardInput, TopicSource source, FlowFilter filter, Consumer<FlowRecord> sink)
      throws FlowFileException {
    read(standardInput, source, filter, sink, false);
  }

  /**
   * Reads the records of every input that pass {@code filter}, in order, into {@code sink}; records
   * of files come in one refilled object: for a sink that keeps nothing of the record it is handed.
   */
  public void readEach(
      InputStream standardInput, TopicSource source, FlowFilter filter, Consumer<FlowRecord> sink)
      throws FlowFileException {
    read(standardInput, source, filter, sink, true);
  }

  private void read(
      InputStream standardInput,
      TopicSource source,
      FlowFilter filter,
      Consumer<FlowRecord> sink,
      boolean reuse)
      throws FlowFileException {
    for (String file : files()) {
      FlowFiles.read(file, standardInput, filter, sink, reuse);
    }
    if (source != null) {
      source.read(follow, since, filter.passing(sink));
    }
  }
}

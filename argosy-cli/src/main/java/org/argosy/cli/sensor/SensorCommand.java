package org.argosy.cli.sensor;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.capture.CaptureFiles;
import org.argosy.sensor.capture.CaptureFilter;
import org.argosy.sensor.capture.LiveCapture;
import org.argosy.sensor.config.InvalidConfigException;
import org.argosy.sensor.config.SensorConfig;
import org.argosy.sensor.delivery.DeliveryCounters;
import org.argosy.sensor.delivery.FsyncPolicy;
import org.argosy.sensor.delivery.KafkaDelivery;
import org.argosy.sensor.delivery.PersistentSequence;
import org.argosy.sensor.delivery.ReliableKafkaSink;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.flow.SequenceNumbers;
import org.argosy.sensor.ops.OpsServer;
import org.argosy.sensor.ops.SensorMetrics;
import org.argosy.sensor.publish.AvroFileFlowRecordSink;
import org.argosy.sensor.publish.FanOutFlowRecordSink;
import org.argosy.sensor.publish.FlowRecordSink;
import org.argosy.sensor.publish.PrintFlowRecordSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code argosy sensor}: packets from capture files or live interfaces to flow records. */
@Command(
    name = "sensor",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Meters packets into bidirectional flow records as Argus does: from capture files (read in"
          + " timestamp order, as fast as possible) or from live interfaces (until Ctrl-C or"
          + " SIGTERM, which emit every active flow as a final record, drain the outputs to Kafka"
          + " or the spool within drain-timeout, and exit 0; a second signal exits at once).",
      "",
      "Examples:",
      "  argosy sensor -r capture.pcap -w flows.avro",
      "  argosy sensor -R /var/spool/pcaps --print",
      "  argosy sensor -i eth0 --filter 'not port 22' --kafka kafka1:9092 --site fra1"
    })
public final class SensorCommand implements Callable<Integer> {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "-r", paramLabel = "FILE", description = "Capture file (pcap or pcapng).")
  private List<Path> files = new ArrayList<>();

  @Option(
      names = "-R",
      paramLabel = "DIR",
      description = "Directory of capture files, searched recursively.")
  private List<Path> directories = new ArrayList<>();

  @Option(names = "-i", paramLabel = "IFACE", description = "Live interface to capture on.")
  private List<String> interfaces = new ArrayList<>();

  @Option(
      names = "-w",
      paramLabel = "FILE",
      description =
          "Write the records to a flow file: an Avro container file (Zstandard blocks), or the"
              + " columnar file when FILE ends in .arrow (complete when the sensor stops).")
  private Path flowFile;

  @Option(names = "--print", description = "Print one readable line per record.")
  private boolean print;

  @Option(
      names = "--kafka",
      paramLabel = "HOST:PORT",
      description =
          "Publish the records to this Kafka cluster (bootstrap servers, comma-separated).")
  private String kafka;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description = "Kafka topic for --kafka (default: ${DEFAULT-VALUE}).",
      defaultValue = "flows")
  private String topic;

  @Option(
      names = {"-S", "--status-interval"},
      paramLabel = "SECONDS",
      description =
          "Status records every SECONDS, cut at multiples of it since the epoch"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  private int statusIntervalSeconds;

  @Option(
      names = "--site",
      paramLabel = "NAME",
      description = "Site recorded in every record (default: ${DEFAULT-VALUE}).",
      defaultValue = "default")
  private String site;

  @Option(
      names = "--sensor-id",
      paramLabel = "ID",
      description = "Sensor id recorded in every record (default: the host name).")
  private String sensorId;

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      description =
          "BPF filter in tcpdump syntax, for -i and for capture files (which are then read"
              + " through libpcap: slower than the default reader).")
  private String filter;

  /** --filter, compiled once to check it. */
  private CaptureFilter captureFilter = CaptureFilter.NONE;

  @Option(
      names = "--snaplen",
      paramLabel = "BYTES",
      description = "Bytes kept of each live packet (default: ${DEFAULT-VALUE}).",
      defaultValue = "256")
  private int snaplen;

  @Option(
      names = "--promisc",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Promiscuous mode for -i (default: on; --no-promisc turns it off).")
  private boolean promiscuous;

  @Option(
      names = "--buffer-size",
      paramLabel = "BYTES",
      description = "Kernel capture buffer per interface (default: ${DEFAULT-VALUE}).",
      defaultValue = "33554432")
  private int bufferSizeBytes;

  @Option(
      names = "--immediate",
      description = "Immediate mode: hand each live packet over at once instead of in batches.")
  private boolean immediate;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML settings (site, sensor-id, kafka.bootstrap, kafka.topic, kafka.properties.*,"
              + " spool.*, queue.records, drain-timeout, metrics.bind, status-interval);"
              + " ARGOSY_SENSOR_* environment variables override it, flags override both.")
  private Path configFile;

  @Option(
      names = "--print-config",
      description = "Print the merged settings (secrets masked) and exit.")
  private boolean printConfig;

  @Option(
      names = "--spool-dir",
      paramLabel = "DIR",
      description =
          "Where records wait on disk while Kafka is away, per sensor id (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "argosy-spool")
  private Path spoolDirectory;

  @Option(
      names = "--metrics",
      paramLabel = "HOST:PORT",
      description =
          "Serve /metrics (Prometheus text: packets, decode errors, libpcap's received and"
              + " dropped packets per interface, records sent, spooled and dropped, spool bytes,"
              + " delivery latency p50/p90/p99) and /health here, e.g. 127.0.0.1:9464 (port 0:"
              + " any free port, printed at start).")
  private String metricsAddress;

  private SensorConfig settings;
  private DeliveryCounters deliveryCounters;

  @Override
  public Integer call() throws Exception {
    settings = mergedSettings();
    if (printConfig) {
      spec.commandLine().getOut().print(settings.printable());
      spec.commandLine().getOut().flush();
      return 0;
    }
    validate();
    PrintWriter err = spec.commandLine().getErr();
    List<LiveCapture> captures = openInterfaces();
    OpsServer metrics = null;
    SensorIdentity identity =
        new SensorIdentity(
            site, sensorId != null ? sensorId : hostName(), String.join(",", inputNames()));
    try (SpoolLock spoolLock =
        kafka == null ? null : SpoolLock.acquire(spoolDirectory.resolve(identity.sensorId()))) {
      FlowRecordSink sink = openSinks();
      Sensor sensor =
          new Sensor(
              FlowTableConfig.withStatusInterval(statusIntervalSeconds),
              identity,
              sequenceNumbers(identity),
              sink);
      SensorRun run = new SensorRun(sensor, sink, captures, err, stopBound());
      if (metricsAddress != null) {
        metrics =
            SensorMetrics.serve(metricsAddress, sensor.counters(), deliveryCounters, captures);
        err.printf(
            "sensor: metrics on http://%s:%d/metrics%n",
            metricsAddress.substring(0, metricsAddress.lastIndexOf(':')), metrics.port());
        err.flush();
      }
      if (captures.isEmpty()) {
        run.readFiles(captureFiles(), captureFilter);
      } else {
        run.captureLive();
      }
      return 0;
    } finally {
      // the endpoint reads the captures' statistics: it goes first
      if (metrics != null) {
        metrics.close();
      }
      captures.forEach(LiveCapture::close);
    }
  }

  /** How long the drain of the outputs may wait for Kafka when the sensor stops. */
  private Duration drainTimeout() {
    return Duration.ofSeconds(settings.getLong("drain-timeout", 30));
  }

  /**
   * The longest a stop may take: one drain timeout for Kafka, then closing the producer (at most
   * its max.block.ms) and writing what is left to the spool, with room to spare.
   */
  private Duration stopBound() {
    return drainTimeout().plusSeconds(30);
  }

  private void validate() {
    if (files.isEmpty() && directories.isEmpty() && interfaces.isEmpty()) {
      throw usage("name an input: -r FILE, -R DIR or -i IFACE");
    }
    if (!interfaces.isEmpty() && !(files.isEmpty() && directories.isEmpty())) {
      throw usage("-i cannot be combined with -r or -R: live and file time do not mix");
    }
    if (flowFile == null && !print && kafka == null) {
      throw usage("name an output: -w FILE, --print or --kafka HOST:PORT");
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--topic") && kafka == null) {
      throw usage("--topic needs --kafka HOST:PORT");
    }
    if (kafka != null && !kafka.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
      throw usage("--kafka '" + kafka + "' is not HOST:PORT[,HOST:PORT...]");
    }
    if (metricsAddress != null && !metricsAddress.matches("[^\\s:]+:\\d{1,5}")) {
      throw usage("--metrics '" + metricsAddress + "' is not HOST:PORT, e.g. 127.0.0.1:9464");
    }
    if (statusIntervalSeconds < 1) {
      throw usage("--status-interval " + statusIntervalSeconds + " must be at least 1 second");
    }
    if (site.isBlank() || (sensorId != null && sensorId.isBlank())) {
      throw usage("--site and --sensor-id must not be blank");
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw usage("-r: cannot read capture file " + file);
      }
    }
    for (Path directory : directories) {
      if (!Files.isDirectory(directory)) {
        throw usage("-R: " + directory + " is not a directory");
      }
    }
    try {
      captureFilter = CaptureFilter.of(filter);
    } catch (IllegalArgumentException e) {
      throw usage("--filter: " + e.getMessage());
    }
    if (flowFile != null) {
      Path parent = flowFile.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw usage("-w: directory of " + flowFile + " does not exist");
      }
    }
  }

  private List<LiveCapture> openInterfaces() throws LiveCapture.LiveCaptureException {
    List<LiveCapture> opened = new ArrayList<>();
    try {
      for (String name : interfaces) {
        opened.add(
            LiveCapture.builder(name)
                .snaplen(snaplen)
                .promiscuous(promiscuous)
                .bufferSizeBytes(bufferSizeBytes)
                .immediate(immediate)
                .filter(filter)
                .build());
      }
    } catch (IllegalArgumentException | LiveCapture.LiveCaptureException e) {
      opened.forEach(LiveCapture::close);
      throw e;
    }
    return opened;
  }

  /**
   * The config file, then ARGOSY_SENSOR_* variables, then the flags given on this command line; the
   * result replaces the option values, so that the rest of the command reads only those.
   */
  private SensorConfig mergedSettings() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    Map<String, String> flags = new LinkedHashMap<>();
    if (parsed.hasMatchedOption("--site")) {
      flags.put("site", site);
    }
    if (parsed.hasMatchedOption("--sensor-id")) {
      flags.put("sensor-id", sensorId);
    }
    if (parsed.hasMatchedOption("--kafka")) {
      flags.put("kafka.bootstrap", kafka);
    }
    if (parsed.hasMatchedOption("--topic")) {
      flags.put("kafka.topic", topic);
    }
    if (parsed.hasMatchedOption("--status-interval")) {
      flags.put("status-interval", Integer.toString(statusIntervalSeconds));
    }
    if (parsed.hasMatchedOption("--spool-dir")) {
      flags.put("spool.dir", spoolDirectory.toString());
    }
    if (parsed.hasMatchedOption("--metrics")) {
      flags.put("metrics.bind", metricsAddress);
    }
    SensorConfig merged;
    try {
      merged = SensorConfig.merge(configFile, System.getenv(), flags);
      site = merged.get("site", site);
      sensorId = merged.get("sensor-id", sensorId);
      kafka = merged.get("kafka.bootstrap", kafka);
      topic = merged.get("kafka.topic", topic);
      statusIntervalSeconds = (int) merged.getLong("status-interval", statusIntervalSeconds);
      spoolDirectory = Path.of(merged.get("spool.dir", spoolDirectory.toString()));
      metricsAddress = merged.get("metrics.bind", metricsAddress);
    } catch (InvalidConfigException e) {
      throw usage(e.getMessage());
    }
    return merged;
  }

  /**
   * A sensor that publishes continues its sequence numbers across restarts (kept beside its spool),
   * so consumers can tell a gap from a restart; file output starts at 0 each run.
   */
  private SequenceNumbers sequenceNumbers(SensorIdentity identity) {
    if (kafka == null) {
      return SequenceNumbers.startingAt(0);
    }
    return new PersistentSequence(spoolDirectory.resolve(identity.sensorId()).resolve("sequence"));
  }

  private FlowRecordSink openSinks() throws IOException {
    List<FlowRecordSink> sinks = new ArrayList<>();
    if (flowFile != null) {
      sinks.add(
          flowFile.getFileName().toString().endsWith(".arrow")
              ? new ArrowFileFlowRecordSink(flowFile)
              : new AvroFileFlowRecordSink(flowFile));
    }
    if (print) {
      sinks.add(new PrintFlowRecordSink(spec.commandLine().getOut()));
    }
    if (kafka != null) {
      String id = sensorId != null ? sensorId : hostName();
      ReliableKafkaSink delivery =
          KafkaDelivery.builder()
              .bootstrapServers(kafka)
              .topic(topic)
              .identity(new SensorIdentity(site, id, String.join(",", inputNames())))
              .clientProperties(settings.kafkaProperties())
              .spool(
                  spoolDirectory.resolve(id),
                  settings.getLong("spool.max-bytes", 1L << 30),
                  settings.getLong("spool.segment-bytes", 8L << 20),
                  settings.fsyncPolicy(FsyncPolicy.SEGMENT))
              .memoryRecords((int) settings.getLong("queue.records", 100_000))
              .drainTimeout(drainTimeout())
              .build();
      deliveryCounters = delivery.counters();
      sinks.add(delivery);
    }
    return new FanOutFlowRecordSink(sinks);
  }

  /** The -r files and the capture files under each -R directory, in timestamp order. */
  private List<Path> captureFiles() {
    List<Path> all = new ArrayList<>(files);
    for (Path directory : directories) {
      all.addAll(CaptureFiles.findUnder(directory));
    }
    return CaptureFiles.inTimestampOrder(all);
  }

  private List<String> inputNames() {
    if (!interfaces.isEmpty()) {
      return interfaces;
    }
    List<String> names = new ArrayList<>();
    files.forEach(file -> names.add(String.valueOf(file.getFileName())));
    directories.forEach(directory -> names.add(directory.toString()));
    return names;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // no resolvable host name (minimal containers): the kernel's node name still names it
      return System.getenv().getOrDefault("HOSTNAME", "sensor");
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

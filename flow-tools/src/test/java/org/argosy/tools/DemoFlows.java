package org.argosy.tools;

import java.nio.file.Path;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.publish.AvroFileFlowRecordSink;

/** The sensor's flow file of the bundled capture, the input the tools are tested on. */
public final class DemoFlows {

  private DemoFlows() {}

  public static Path projectRoot() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }

  /** Meters samples/demo.pcap into {@code directory}/demo.avro and returns its path. */
  public static Path write(Path directory) throws Exception {
    return meter(projectRoot().resolve("samples/demo.pcap"), directory.resolve("demo.avro"));
  }

  /** Meters {@code capture} as {@code argosy sensor -r CAPTURE -w FLOWS} does; returns flows. */
  public static Path meter(Path capture, Path flows) throws Exception {
    try (AvroFileFlowRecordSink sink = new AvroFileFlowRecordSink(flows)) {
      Sensor sensor =
          new Sensor(
              FlowTableConfig.withStatusInterval(5), new SensorIdentity("lab", "s1", "demo"), sink);
      sensor.readFile(capture);
      sensor.finish();
    }
    return flows;
  }
}

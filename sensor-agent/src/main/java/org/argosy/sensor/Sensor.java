package org.argosy.sensor;

import java.nio.file.Path;
import org.argosy.sensor.capture.PcapFileReader;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.LinkType;
import org.argosy.sensor.decode.PacketDecoder;
import org.argosy.sensor.decode.SkipReason;
import org.argosy.sensor.flow.FlowTable;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.publish.FlowRecordSink;

/** Capture to flow records: decodes each frame, meters it in the flow table, sends the records. */
public final class Sensor {

  private final FlowTable table;
  private final FlowRecordSink sink;
  private final SensorCounters counters = new SensorCounters();
  private final DecodedPacket packet = new DecodedPacket();
  private PacketDecoder decoder = new PacketDecoder(LinkType.ETHERNET);

  public Sensor(FlowTableConfig config, SensorIdentity identity, FlowRecordSink sink) {
    this.sink = sink;
    this.table =
        new FlowTable(
            config,
            identity,
            0,
            (record, conversationHash) -> {
              counters.record();
              sink.send(record, conversationHash);
            });
  }

  /** Meters every packet of a capture file. */
  public void readFile(Path file) throws CaptureFileException {
    PcapFileReader.ReadResult result =
        PcapFileReader.read(
            file, linkType -> decoder = new PacketDecoder(linkType), this::onPacket);
    counters.unreadable(result.unreadableRecords());
  }

  private void onPacket(byte[] frame, int wireLength, long timeMicros) {
    counters.packet(wireLength);
    SkipReason skip = decoder.decode(frame, frame.length, packet);
    if (skip != null) {
      counters.skipped(skip);
      return;
    }
    table.add(packet, timeMicros, wireLength);
  }

  /** Emits every flow still in the table and waits until the sink has stored all records. */
  public void finish() {
    table.flushAll();
    sink.flush();
  }

  public SensorCounters counters() {
    return counters;
  }
}

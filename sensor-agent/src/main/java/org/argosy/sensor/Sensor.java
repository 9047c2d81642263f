package org.argosy.sensor;

import java.nio.file.Path;
import org.argosy.sensor.capture.CaptureFilter;
import org.argosy.sensor.capture.PacketHandler;
import org.argosy.sensor.capture.PcapFileReader;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.LinkType;
import org.argosy.sensor.decode.PacketDecoder;
import org.argosy.sensor.decode.SkipReason;
import org.argosy.sensor.flow.FlowTable;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.flow.SequenceNumbers;
import org.argosy.sensor.publish.FlowRecordSink;

/**
 * Capture to flow records: decodes each frame, meters it in the flow table, sends the records.
 * Several inputs (live interfaces, each on its own thread) may feed one sensor: each decodes on its
 * own thread into its own packet buffer, and metering into the shared table is serialised.
 */
public final class Sensor {

  private final FlowTable table;
  private final FlowRecordSink sink;
  private final SensorCounters counters = new SensorCounters();
  private volatile boolean stopRequested;

  /** A sensor whose sequence numbers start at 0: for runs that nothing continues. */
  public Sensor(FlowTableConfig config, SensorIdentity identity, FlowRecordSink sink) {
    this(config, identity, SequenceNumbers.startingAt(0), sink);
  }

  public Sensor(
      FlowTableConfig config,
      SensorIdentity identity,
      SequenceNumbers sequence,
      FlowRecordSink sink) {
    this.sink = sink;
    this.table =
        new FlowTable(
            config,
            identity,
            sequence,
            (record, conversationHash) -> {
              counters.record();
              sink.send(record, conversationHash);
            });
  }

  /** Meters every packet of a capture file, or those up to a {@link #requestStop()}. */
  public void readFile(Path file) throws CaptureFileException {
    readFile(file, CaptureFilter.NONE);
  }

  /** Meters the packets of a capture file that pass {@code filter}. */
  public void readFile(Path file, CaptureFilter filter) throws CaptureFileException {
    Input[] input = {null};
    PcapFileReader.ReadResult result =
        PcapFileReader.read(
            file,
            filter,
            linkType -> input[0] = new Input(linkType),
            (frame, captured, wireLength, timeMicros) ->
                input[0].onPacket(frame, captured, wireLength, timeMicros),
            () -> stopRequested);
    synchronized (this) {
      counters.unreadable(result.unreadableRecords());
    }
  }

  /** A handler for one live input of the given link type, to be called from one thread only. */
  public PacketHandler input(LinkType linkType) {
    return new Input(linkType);
  }

  /**
   * Moves the flow table's clock without a packet, so that flows on an idle live interface still
   * get their status and timeout records.
   */
  public synchronized void tick(long nowMicros) {
    table.advanceTo(nowMicros);
  }

  /** Asks a running {@link #readFile} to end before the next packet (Ctrl-C). */
  public void requestStop() {
    stopRequested = true;
  }

  /** Emits every flow still in the table and waits until the sink has stored all records. */
  public synchronized void finish() {
    table.flushAll();
    sink.flush();
  }

  /** The counters; read them after the inputs have stopped. */
  public synchronized SensorCounters counters() {
    return counters;
  }

  /** One capture source: its own decoder and reused packet buffer. */
  private final class Input implements PacketHandler {
    private final PacketDecoder decoder;
    private final DecodedPacket packet = new DecodedPacket();
    private final int uncountedHeaderBytes;

    Input(LinkType linkType) {
      this.decoder = new PacketDecoder(linkType);
      this.uncountedHeaderBytes = linkType.uncountedHeaderBytes();
    }

    @Override
    public void onPacket(byte[] frame, int capturedLength, int wireLength, long timeMicros) {
      SkipReason skip = decoder.decode(frame, capturedLength, packet);
      synchronized (Sensor.this) {
        counters.packet(wireLength);
        if (skip != null) {
          counters.skipped(skip);
        } else {
          table.add(packet, timeMicros, Math.max(0, wireLength - uncountedHeaderBytes));
        }
      }
    }
  }
}

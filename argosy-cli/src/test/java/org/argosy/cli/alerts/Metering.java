package org.argosy.cli.alerts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.capture.PacketHandler;
import org.argosy.sensor.capture.PcapFileReader;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.publish.FlowRecordSink;

/**
 * Captures into flow records with the real sensor, as {@code argosy sensor -r} meters them (5 s
 * status interval), optionally replayed at another time: every packet's timestamp moved by the same
 * amount before the sensor sees it, so records are cut at the 5 s boundaries of the new time, as if
 * the traffic had happened then.
 */
final class Metering {

  static final long SECOND = 1_000_000L;
  static final long STATUS_INTERVAL_SECONDS = 5;
  static final SensorIdentity LAB = new SensorIdentity("lab", "alert-scenarios", "eth0");

  private Metering() {}

  /** The records of {@code pcap} replayed {@code shiftMicros} later, in order of their stime. */
  static List<FlowRecord> meter(Path pcap, long shiftMicros) throws CaptureFileException {
    List<FlowRecord> records = new ArrayList<>();
    FlowRecordSink sink =
        new FlowRecordSink() {
          @Override
          public void send(FlowRecord record, long conversationHash) {
            records.add(FlowRecord.newBuilder(record).build());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Sensor sensor =
        new Sensor(FlowTableConfig.withStatusInterval(STATUS_INTERVAL_SECONDS), LAB, sink);
    PacketHandler[] input = {null};
    PcapFileReader.read(
        pcap,
        linkType -> input[0] = sensor.input(linkType),
        (frame, captured, wire, time) ->
            input[0].onPacket(frame, captured, wire, time + shiftMicros),
        () -> false);
    sensor.finish();
    records.sort(Comparator.comparingLong(FlowRecord::getStime));
    return records;
  }

  /** The capture time of the first packet of {@code pcap}, epoch microseconds. */
  static long firstPacketMicros(Path pcap) throws CaptureFileException {
    long[] first = {-1};
    PcapFileReader.read(
        pcap, linkType -> {}, (f, c, w, time) -> first[0] = time, () -> first[0] >= 0);
    if (first[0] < 0) {
      throw new IllegalStateException(pcap + " holds no packet");
    }
    return first[0];
  }

  /** {@code records} as they would be {@code shiftMicros} later. */
  static List<FlowRecord> shifted(List<FlowRecord> records, long shiftMicros) {
    return records.stream().map(r -> shifted(r, shiftMicros)).toList();
  }

  static FlowRecord shifted(FlowRecord record, long shiftMicros) {
    return FlowRecord.newBuilder(record)
        .setStime(record.getStime() + shiftMicros)
        .setLtime(record.getLtime() + shiftMicros)
        .build();
  }

  /** The start of the {@code windowMicros}-long epoch-aligned window holding {@code micros}. */
  static long windowOf(long micros, long windowMicros) {
    return Math.floorDiv(micros, windowMicros) * windowMicros;
  }
}

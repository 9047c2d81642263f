package org.argosy.cli.sensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.sensor.delivery.DiskSpool;
import org.argosy.sensor.delivery.FsyncPolicy;
import org.argosy.sensor.delivery.SpoolRecord;

/**
 * The flow records a sensor's spool holds, read from a copy of its segment files (opening a spool
 * recovers it, which may cut a torn tail: the original stays as the sensor left it).
 */
final class SpoolSnapshot {

  private SpoolSnapshot() {}

  static List<FlowRecord> records(Path spool, Path scratch) throws Exception {
    Files.createDirectories(scratch);
    try (Stream<Path> files = Files.list(spool)) {
      for (Path segment : files.filter(f -> f.toString().endsWith(".spool")).toList()) {
        Files.copy(segment, scratch.resolve(segment.getFileName()));
      }
    }
    AvroSingleObjectCodec<FlowRecord> codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    List<FlowRecord> records = new ArrayList<>();
    try (DiskSpool copy = new DiskSpool(scratch, 1L << 40, 1L << 20, FsyncPolicy.NEVER)) {
      for (DiskSpool.Segment segment = copy.oldest(); segment != null; segment = copy.oldest()) {
        for (SpoolRecord record : segment.records()) {
          records.add(codec.decode(record.value()));
        }
        copy.release(segment);
      }
    }
    return records;
  }
}

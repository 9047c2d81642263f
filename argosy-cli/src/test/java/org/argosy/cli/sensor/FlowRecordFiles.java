package org.argosy.cli.sensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.argosy.avro.FlowRecord;

/** Reads what {@code argosy sensor -w} wrote, with a plain Avro reader. */
final class FlowRecordFiles {

  private FlowRecordFiles() {}

  static List<FlowRecord> read(Path file) throws IOException {
    List<FlowRecord> records = new ArrayList<>();
    try (DataFileReader<FlowRecord> reader =
        new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(FlowRecord.class))) {
      reader.forEach(records::add);
    }
    return records;
  }

  static Path projectRoot() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }
}

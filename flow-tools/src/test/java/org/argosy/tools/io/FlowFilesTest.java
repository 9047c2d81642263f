package org.argosy.tools.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.argosy.avro.FlowRecord;
import org.argosy.tools.DemoFlows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flow files read record by record, fresh or refilled, and from another schema version. */
class FlowFilesTest {

  @TempDir static Path dir;
  static List<FlowRecord> written = new ArrayList<>();
  static Path flows;

  @BeforeAll
  static void writeFlowFile() throws Exception {
    flows = DemoFlows.write(dir);
    FlowFiles.read(flows.toString(), written::add);
    assertThat(written).hasSizeGreaterThan(100);
  }

  @Test
  void aRefilledRecordHoldsEachRecordInTurn() throws Exception {
    List<String> seen = new ArrayList<>();
    long count = FlowFiles.readEach(flows.toString(), record -> seen.add(record.toString()));
    assertThat(count).isEqualTo(written.size());
    assertThat(seen).isEqualTo(written.stream().map(FlowRecord::toString).toList());
  }

  @Test
  void aFileOfAnotherVersionIsResolved() throws Exception {
    // a later writer: the fields in reverse order and one field this reader does not know
    Schema current = FlowRecord.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    fields.add(new Schema.Field("addedLater", Schema.create(Schema.Type.STRING), "", "none"));
    for (int i = current.getFields().size() - 1; i >= 0; i--) {
      Schema.Field field = current.getFields().get(i);
      fields.add(new Schema.Field(field, field.schema()));
    }
    Schema later =
        Schema.createRecord(
            current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    Path file = dir.resolve("later.avro");
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<>(later))) {
      writer.setCodec(CodecFactory.zstandardCodec(3));
      writer.create(later, file.toFile());
      for (FlowRecord record : written) {
        GenericData.Record generic = new GenericData.Record(later);
        generic.put("addedLater", "x");
        current.getFields().forEach(f -> generic.put(f.name(), record.get(f.pos())));
        writer.append(generic);
      }
    }

    List<FlowRecord> fresh = new ArrayList<>();
    FlowFiles.read(file.toString(), fresh::add);
    List<String> refilled = new ArrayList<>();
    FlowFiles.readEach(file.toString(), record -> refilled.add(record.toString()));

    assertThat(fresh).isEqualTo(written);
    assertThat(refilled).isEqualTo(written.stream().map(FlowRecord::toString).toList());
  }
}

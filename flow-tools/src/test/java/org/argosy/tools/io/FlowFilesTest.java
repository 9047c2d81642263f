package org.argosy.tools.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
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
import org.argosy.query.filter.FlowFilter;
import org.argosy.sensor.publish.AvroFileFlowRecordSink;
import org.argosy.tools.DemoFlows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow files read record by record, fresh or refilled, from another schema version, over many
 * blocks and up to a damaged one.
 */
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

  /**
   * A file of many blocks comes in file order, filtered or not; a garbled block in the middle is an
   * error naming the file and the block, after exactly the records of the blocks before it.
   */
  @Test
  void manyBlocksComeInFileOrderAndDamageAfterTheBlocksBeforeIt() throws Exception {
    Path many = dir.resolve("many-blocks.avro");
    List<FlowRecord> records = new ArrayList<>();
    try (AvroFileFlowRecordSink sink = new AvroFileFlowRecordSink(many)) {
      for (int copy = 0; copy < 100; copy++) {
        for (FlowRecord record : written) {
          FlowRecord numbered = FlowRecord.newBuilder(record).setSeq(records.size()).build();
          records.add(numbered);
          sink.send(numbered, 0);
        }
      }
    }
    List<ContainerFileReader.Block> blocks = new ArrayList<>();
    try (InputStream in = Files.newInputStream(many)) {
      ContainerFileReader reader = new ContainerFileReader(many.toString(), in);
      for (var block = reader.nextBlock(); block != null; block = reader.nextBlock()) {
        blocks.add(block);
      }
    }
    assertThat(blocks).hasSizeGreaterThan(8);

    List<FlowRecord> read = new ArrayList<>();
    assertThat(FlowFiles.read(many.toString(), read::add)).isEqualTo(records.size());
    assertThat(read).isEqualTo(records);
    FlowFilter udp = FlowFilter.parse("udp and not port 53");
    List<FlowRecord> passed = new ArrayList<>();
    FlowFiles.read(many.toString(), udp, passed::add, false);
    assertThat(passed).isNotEmpty().isEqualTo(records.stream().filter(udp::matches).toList());

    ContainerFileReader.Block middle = blocks.get(blocks.size() / 2);
    byte[] garbled = Files.readAllBytes(many);
    for (int i = 16; i < 48; i++) {
      garbled[(int) middle.offset() + i] ^= (byte) 0x5a;
    }
    Path damaged = dir.resolve("garbled.avro");
    Files.write(damaged, garbled);
    List<FlowRecord> before = new ArrayList<>();
    assertThatThrownBy(() -> FlowFiles.read(damaged.toString(), before::add))
        .isInstanceOf(FlowFiles.FlowFileException.class)
        .hasMessageContaining(damaged.toString())
        .hasMessageContaining("block " + (middle.number() + 1));
    long recordsBefore =
        blocks.subList(0, (int) middle.number()).stream()
            .mapToLong(ContainerFileReader.Block::count)
            .sum();
    assertThat(before).isEqualTo(records.subList(0, (int) recordsBefore));
  }

  @Test
  void aFileThatCannotBeReadIsNamedWithTheReasonInWords() {
    Path missing = dir.resolve("no-such.avro");
    assertThatThrownBy(() -> FlowFiles.read(missing.toString(), record -> {}))
        .hasMessage("cannot read " + missing + ": no such file");
    assertThatThrownBy(() -> FlowFiles.read(dir.toString(), record -> {}))
        .hasMessageStartingWith("cannot read " + dir + ": a directory, not a flow file");
  }
}

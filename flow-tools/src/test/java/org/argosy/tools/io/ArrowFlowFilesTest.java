package org.argosy.tools.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.argosy.avro.MacAddress;
import org.argosy.sensor.publish.AvroFileFlowRecordSink;
import org.argosy.tools.DemoFlows;
import org.argosy.tools.bench.ToolMain;
import org.argosy.tools.ra.RaCommand;
import org.argosy.tools.racluster.RaclusterCommand;
import org.argosy.tools.rasort.RasortCommand;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The columnar flow file: Avro to Arrow ({@code ra -w}) and back to records keeps every field,
 * nulls and lists included; racluster prints the same on either file; damage is an error naming the
 * file. Arrow Java writes the file; our reader reads the IPC format itself.
 */
class ArrowFlowFilesTest {

  @TempDir static Path dir;
  static Path avro;
  static Path arrow;
  static List<FlowRecord> written = new ArrayList<>();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void convertTheDemoFlows() throws Exception {
    avro = DemoFlows.write(dir);
    FlowFiles.read(avro.toString(), written::add);
    arrow = dir.resolve("demo.arrow");
    CommandLine ra = new CommandLine(new RaCommand());
    assertThat(ra.execute("-r", avro.toString(), "-w", arrow.toString())).isZero();
  }

  private int run(Object command, String... args) {
    out.getBuffer().setLength(0);
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void theDemoFlowsComeBackEqualFreshAndRefilled() throws Exception {
    List<FlowRecord> fresh = new ArrayList<>();
    assertThat(FlowFiles.read(arrow.toString(), fresh::add)).isEqualTo(written.size());
    assertThat(fresh).isEqualTo(written);
    List<String> refilled = new ArrayList<>();
    FlowFiles.readEach(arrow.toString(), record -> refilled.add(record.toString()));
    assertThat(refilled).isEqualTo(written.stream().map(FlowRecord::toString).toList());
  }

  /** Standard input ({@code -r -}) is read whole and its batches read where they lie. */
  @Test
  void aFileGivenAsBytesComesBackEqual() throws Exception {
    List<FlowRecord> read = new ArrayList<>();
    try (ArrowFlowFiles.Reader reader = ArrowFlowFiles.Reader.of("-", Files.readAllBytes(arrow))) {
      reader.forEach(read::add, false);
    }
    assertThat(read).isEqualTo(written);
    byte[] cut = Arrays.copyOf(Files.readAllBytes(arrow), 100);
    assertThatThrownBy(() -> ArrowFlowFiles.Reader.of("-", cut))
        .isInstanceOf(FlowFiles.FlowFileException.class)
        .hasMessageStartingWith("-: unreadable Arrow file: ");
  }

  @Test
  void everyFieldAndEveryNullSurvivesAcrossBatches() throws Exception {
    List<FlowRecord> records = everyFieldAndNone();
    Path file = writeEveryFieldAndNone();
    try (ArrowFlowFiles.Reader reader = ArrowFlowFiles.Reader.open(file.toString())) {
      assertThat(reader.batches()).isEqualTo(2);
    }
    List<FlowRecord> fresh = new ArrayList<>();
    FlowFiles.read(file.toString(), fresh::add);
    assertThat(fresh).isEqualTo(records);
    // a refilled record drops what the previous row had and this one has not
    List<String> refilled = new ArrayList<>();
    FlowFiles.readEach(file.toString(), record -> refilled.add(record.toString()));
    assertThat(refilled).isEqualTo(records.stream().map(FlowRecord::toString).toList());
  }

  /** The demo has no VLAN, MPLS or handshake times: records that have every field, and none. */
  private static List<FlowRecord> everyFieldAndNone() {
    List<FlowRecord> records = new ArrayList<>();
    for (int i = 0; i < ArrowFlowFiles.BATCH_ROWS + 10; i++) {
      records.add(i % 2 == 0 ? everything(i) : nothingOptional(i));
    }
    return records;
  }

  /** {@link #everyFieldAndNone} in a columnar file (written once, read by several tests). */
  private static synchronized Path writeEveryFieldAndNone() throws IOException {
    Path file = dir.resolve("every-field.arrow");
    if (Files.exists(file)) {
      return file;
    }
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ArrowFlowFiles.Writer writer = new ArrowFlowFiles.Writer(channel)) {
      for (FlowRecord record : everyFieldAndNone()) {
        writer.add(record);
      }
    }
    return file;
  }

  private static FlowRecord everything(int i) {
    byte[] saddr = new byte[16];
    Arrays.fill(saddr, (byte) i);
    byte[] daddr = new byte[16];
    Arrays.fill(daddr, (byte) (i + 1));
    return FlowRecord.newBuilder()
        .setSite("site-ä")
        .setSensorId("s" + (i % 3))
        .setIface("eth" + (i % 2))
        .setSeq(i)
        .setStime(1_764_000_000_000_000L + i)
        .setLtime(1_764_000_000_500_000L + i)
        .setCause(FlowCause.values()[i % FlowCause.values().length])
        .setEtherType(0x86DD)
        .setProto(17)
        .setSaddr(new IpAddress(saddr))
        .setDaddr(new IpAddress(daddr))
        .setSport(i & 0xffff)
        .setDport(53)
        .setIcmpType(8)
        .setIcmpCode(0)
        .setIcmpId(i)
        .setSmac(new MacAddress(new byte[] {1, 2, 3, 4, 5, (byte) i}))
        .setDmac(new MacAddress(new byte[] {6, 5, 4, 3, 2, 1}))
        .setVlanIds(List.of(100 + i % 7, 200))
        .setMplsLabels(List.of(16_000 + i))
        .setStos(0x10)
        .setDtos(0)
        .setSttl(64)
        .setDttl(128)
        .setSpkts(i)
        .setDpkts(2L * i)
        .setSbytes(1_000_000_000_000L + i)
        .setDbytes(3L * i)
        .setSappbytes(i / 2)
        .setDappbytes(i / 3)
        .setState("CON")
        .setDirection("<->")
        .setFlags(i & 0xff)
        .setSynAckMicros(1500L + i)
        .setAckDatMicros(-1L)
        .build();
  }

  private static FlowRecord nothingOptional(int i) {
    return FlowRecord.newBuilder()
        .setSite("")
        .setSensorId("s1")
        .setIface("")
        .setSeq(i)
        .setStime(0)
        .setLtime(Long.MAX_VALUE)
        .setCause(FlowCause.END)
        .setEtherType(0x0806)
        .setState("")
        .setDirection("who")
        .build();
  }

  @Test
  void raclusterPrintsTheSameOnEitherFile() {
    List<List<String>> queries =
        List.of(
            List.of("-m", "proto", "dport"),
            List.of("-m", "saddr"),
            List.of("-m", "saddr/24", "daddr", "-s", "saddr/24", "daddr", "trans", "bytes", "dur"),
            List.of("-m", "smac", "dmac"),
            List.of("-m", "srcid", "inf", "etype", "vlan", "mpls"),
            List.of("-m", "sttl", "stos"),
            List.of("-s", "proto", "saddr", "sport", "daddr", "dport", "trans", "stime", "ltime"),
            List.of("-m", "daddr", "-", "tcp", "and", "not", "dst", "port", "80"),
            List.of(
                "-m",
                "proto",
                "dport",
                "-",
                "src",
                "net",
                "10.0.0.0/8",
                "and",
                "bytes",
                "gt",
                "200"));
    // three copies: several batches for the threads, and a key's rows spread over them
    raclusterPrintsTheSame(queries, avro, arrow, 3);
  }

  /**
   * Rows with every optional field and rows with none, over two batches whose row counts are no
   * multiple of the columnar path's chunk: null addresses, MACs and lists are keys of their own.
   */
  @Test
  void raclusterPrintsTheSameOnRowsWithEveryFieldOrNone() throws Exception {
    Path arrowFile = writeEveryFieldAndNone();
    Path avroFile = dir.resolve("every-field-or-none.avro");
    try (AvroFileFlowRecordSink sink = new AvroFileFlowRecordSink(avroFile)) {
      everyFieldAndNone().forEach(record -> sink.send(record, 0));
    }
    raclusterPrintsTheSame(
        List.of(
            List.of("-m", "saddr", "daddr"),
            // a null key beside a value whose bytes are all zero: :: and port 0
            List.of("-m", "saddr"),
            List.of("-m", "sport"),
            List.of("-m", "saddr/16", "-s", "saddr/16", "trans", "pkts", "bytes", "stime", "ltime"),
            List.of("-m", "smac", "dmac", "vlan", "mpls"),
            List.of("-m", "proto", "sport", "dport", "sttl", "dttl", "stos"),
            List.of("-m", "srcid", "inf", "etype"),
            List.of("-m", "daddr", "-", "not", "src", "host", "10.0.0.2")),
        avroFile,
        arrowFile,
        2);
  }

  /**
   * Each query over {@code copies} copies of the records, down racluster's three paths: Avro files
   * (blocks on several threads), columnar files (batches on several threads), and the two kinds
   * mixed (one record after another): the same table from each.
   */
  private void raclusterPrintsTheSame(
      List<List<String>> queries, Path avroFile, Path arrowFile, int copies) {
    for (List<String> query : queries) {
      List<String> expected = null;
      for (Path[] files :
          List.of(
              new Path[] {avroFile, avroFile},
              new Path[] {arrowFile, arrowFile},
              new Path[] {avroFile, arrowFile})) {
        List<String> args = new ArrayList<>(List.of("-n", "-c", ","));
        for (int i = 0; i < copies; i++) {
          args.addAll(List.of("-r", files[i % 2].toString()));
        }
        args.addAll(query);
        assertThat(run(new RaclusterCommand(), args.toArray(String[]::new))).as("%s", err).isZero();
        List<String> printed = out.toString().lines().toList();
        if (expected == null) {
          expected = printed;
          assertThat(expected).as("%s", query).hasSizeGreaterThan(1);
        } else {
          assertThat(printed).as("%s on %s", query, List.of(files)).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void rasortAndRaPrintTheSameOnEitherFile() {
    Map<List<String>, Supplier<Object>> queries = new LinkedHashMap<>();
    queries.put(List.of("-m", "bytes", "-s", "saddr", "dport", "bytes"), RasortCommand::new);
    queries.put(List.of("-m", "stime", "-s", "stime", "saddr", "dur"), RasortCommand::new);
    queries.put(
        List.of("-s", "stime", "flgs", "smac", "saddr", "state", "-", "udp"), RaCommand::new);
    // filters read their columns first and the rest only for a record that passes
    queries.put(
        List.of(
            "-s", "stime", "flgs", "proto", "saddr", "sport", "dir", "daddr", "dport", "spkts",
            "dpkts", "sbytes", "dbytes", "state", "-", "tcp", "and", "con"),
        RaCommand::new);
    queries.put(
        List.of(
            "-s", "stime", "ltime", "saddr", "sport", "daddr", "dport", "spkts", "dbytes", "state",
            "dir", "-", "bytes", "gt", "1000", "and", "not", "udp"),
        RaCommand::new);
    queries.put(List.of("-", "synack", "or", "reset", "or", "dst", "port", "53"), RaCommand::new);
    queries.forEach(
        (args, command) -> {
          List<String> onAvro = new ArrayList<>(List.of("-n", "-c", ",", "-r", avro.toString()));
          onAvro.addAll(args);
          List<String> onArrow = new ArrayList<>(List.of("-n", "-c", ",", "-r", arrow.toString()));
          onArrow.addAll(args);
          assertThat(run(command.get(), onAvro.toArray(String[]::new))).as("%s", err).isZero();
          String expected = out.toString();
          assertThat(expected.lines().count()).as("%s", args).isGreaterThan(10);
          assertThat(run(command.get(), onArrow.toArray(String[]::new))).as("%s", err).isZero();
          assertThat(out.toString()).as("%s", args).isEqualTo(expected);
        });
  }

  @Test
  void aDamagedFileIsAnErrorNamingIt() throws Exception {
    byte[] whole = Files.readAllBytes(arrow);
    for (int length : new int[] {8, whole.length / 2, whole.length - 11}) {
      Path cut = dir.resolve("cut-" + length + ".arrow");
      Files.write(cut, Arrays.copyOf(whole, length));
      assertThatThrownBy(() -> FlowFiles.read(cut.toString(), record -> {}))
          .isInstanceOf(FlowFiles.FlowFileException.class)
          .hasMessageContaining(cut.toString());
      assertThat(run(new RaclusterCommand(), "-r", cut.toString(), "-m", "proto")).isEqualTo(1);
      assertThat(err.toString()).contains("racluster: " + cut);
    }
    // the footer's batch index pointing elsewhere: garbage over the end of the file
    byte[] garbled = whole.clone();
    for (int i = garbled.length - 400; i < garbled.length - 10; i++) {
      garbled[i] = (byte) (i * 31);
    }
    Path corrupt = dir.resolve("corrupt.arrow");
    Files.write(corrupt, garbled);
    assertThat(run(new RaclusterCommand(), "-r", corrupt.toString(), "-m", "proto")).isEqualTo(1);
    assertThat(err.toString()).contains("racluster: " + corrupt);
    assertThat(run(new RaCommand(), "-r", corrupt.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("ra: " + corrupt);
  }

  /**
   * A batch whose message gives a column's data buffer fewer bytes than its rows need is an error
   * when the batch loads, naming the file, the batch and the column.
   */
  @Test
  void aBufferShorterThanItsRowsNeedIsAnErrorAtLoad() throws Exception {
    byte[] whole = Files.readAllBytes(arrow);
    int seqData = 3 * 3 + 1; // three text columns of three buffers, then seq's validity
    ByteBuffer file = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN);
    int footerLength = file.getInt(whole.length - 10);
    Footer footer =
        Footer.getRootAsFooter(file.slice(whole.length - 10 - footerLength, footerLength));
    int batchAt = (int) footer.recordBatches(0).offset();
    int messageLength = file.getInt(batchAt + 4);
    ByteBuffer metadata = file.slice(batchAt + 8, messageLength).order(ByteOrder.LITTLE_ENDIAN);
    RecordBatch batch =
        (RecordBatch) Message.getRootAsMessage(metadata.duplicate()).header(new RecordBatch());
    long rows = batch.length();
    long offset = batch.buffers(seqData).offset();
    assertThat(batch.buffers(seqData).length()).isEqualTo(rows * Long.BYTES);
    // the buffer's (offset, length) struct in the message, its length cut by one value
    boolean cut = false;
    for (int at = 0; at + 16 <= messageLength && !cut; at += 8) {
      if (metadata.getLong(at) == offset && metadata.getLong(at + 8) == rows * Long.BYTES) {
        metadata.putLong(at + 8, (rows - 1) * Long.BYTES);
        cut = true;
      }
    }
    assertThat(cut).isTrue();
    Path shortened = dir.resolve("short-buffer.arrow");
    Files.write(shortened, whole);
    try (ArrowFlowFiles.Reader reader = ArrowFlowFiles.Reader.open(shortened.toString())) {
      assertThatThrownBy(() -> reader.load(0))
          .isInstanceOf(FlowFiles.FlowFileException.class)
          .hasMessageContaining(shortened.toString())
          .hasMessageContaining("batch 1 of")
          .hasMessageContaining(
              "column seq's data buffer has "
                  + (rows - 1) * Long.BYTES
                  + " bytes, its "
                  + rows
                  + " rows need "
                  + rows * Long.BYTES);
    }
    assertThat(run(new RaclusterCommand(), "-r", shortened.toString(), "-m", "proto")).isEqualTo(1);
    assertThat(err.toString()).contains("racluster: " + shortened);
  }

  @Test
  void aColumnOfAnotherTypeIsNotAFlowFile() throws Exception {
    List<Field> fields = new ArrayList<>(ArrowFlowFiles.Writer.SCHEMA.getFields());
    int proto = FlowColumns.index("proto");
    int stime = FlowColumns.index("stime");
    fields.set(proto, new Field("proto", FieldType.nullable(new ArrowType.Int(64, true)), null));
    fields.set(
        stime,
        new Field(
            "stime",
            FieldType.notNullable(new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC")),
            null));
    Path other = dir.resolve("other-types.arrow");
    try (FileChannel channel =
            FileChannel.open(other, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        RootAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
      writer.start();
      writer.end();
    }
    assertThatThrownBy(() -> ArrowFlowFiles.Reader.open(other.toString()))
        .isInstanceOf(FlowFiles.FlowFileException.class)
        .hasMessageContaining(other + ": unreadable Arrow file: not a flow file: ")
        .hasMessageContaining(
            "column stime: Timestamp(MILLISECOND, UTC) not null,"
                + " expected stime: Timestamp(MICROSECOND, UTC) not null")
        .hasMessageContaining("column proto: Int(64, true), expected proto: Int(32, true)");
  }

  /**
   * Files pyarrow writes from ours: uncompressed, read back equal; compressed, or with a
   * dictionary-encoded column, an error naming the file (flow files are neither).
   */
  @Test
  void filesPyarrowRewritesAreReadOrRefusedByName() throws Exception {
    Path plain = dir.resolve("pyarrow-plain.arrow");
    Path compressed = dir.resolve("pyarrow-zstd.arrow");
    Path dictionary = dir.resolve("pyarrow-dictionary.arrow");
    String script =
        String.join(
            "\n",
            "import sys, pyarrow as pa, pyarrow.ipc as ipc",
            "t = ipc.open_file(sys.argv[1]).read_all()",
            "def write(path, table, **options):",
            "    with ipc.new_file(path, table.schema, options=ipc.IpcWriteOptions(**options)) as w:",
            "        w.write_table(table)",
            "write(sys.argv[2], t)",
            "write(sys.argv[3], t, compression='zstd')",
            "i = t.schema.get_field_index('site')",
            "write(sys.argv[4], t.set_column(i, t.schema.field(i).with_type(",
            "    pa.dictionary(pa.int32(), pa.utf8())), t.column(i).dictionary_encode()))");
    String output =
        python(
            script,
            arrow.toString(),
            plain.toString(),
            compressed.toString(),
            dictionary.toString());

    List<FlowRecord> read = new ArrayList<>();
    FlowFiles.read(plain.toString(), read::add);
    assertThat(read).as(output).isEqualTo(written);
    assertThatThrownBy(() -> FlowFiles.read(compressed.toString(), record -> {}))
        .isInstanceOf(FlowFiles.FlowFileException.class)
        .hasMessageContaining(compressed + ": batch 1 of 1 unreadable: its body is compressed");
    assertThatThrownBy(() -> FlowFiles.read(dictionary.toString(), record -> {}))
        .isInstanceOf(FlowFiles.FlowFileException.class)
        .hasMessageContaining(
            dictionary
                + ": unreadable Arrow file: not a flow file: column site is dictionary-encoded");
  }

  /**
   * racluster on a columnar file, in a JVM of its own, loads none of Arrow Java's schema classes:
   * their set-up (a JSON mapper) costs more than racluster's reading of a small file.
   */
  @Test
  void raclusterReadsWithoutArrowJavasSchema() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process racluster =
        new ProcessBuilder(
                java,
                "-Xlog:class+load",
                "-cp",
                System.getProperty("java.class.path"),
                ToolMain.class.getName(),
                "racluster",
                "-r",
                arrow.toString(),
                "-m",
                "proto",
                "dport")
            .redirectErrorStream(true)
            .start();
    String log = new String(racluster.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(racluster.waitFor()).as(log).isZero();
    assertThat(log)
        .contains(FlowBatch.class.getName() + " ")
        .doesNotContain("org.apache.arrow.vector.types.pojo.Schema ");
  }

  /** Runs a Python script, skipping the test where pyarrow is not installed; what it printed. */
  private static String python(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3", "-c", script));
    command.addAll(List.of(args));
    Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = python.waitFor();
    Assumptions.assumeFalse(
        output.contains("No module named 'pyarrow'"), "pyarrow is not installed here");
    assertThat(exit).as(output).isZero();
    return output;
  }

  /**
   * "Other tools can read it": pyarrow, Arrow's own Python library, opens the file and its sums per
   * (proto, dport) equal those of the records written. Skipped where pyarrow is not installed
   * ({@code .ci/run} installs it).
   */
  @Test
  void pyarrowReadsTheFileWithTheSameCounters() throws Exception {
    String script =
        String.join(
            "\n",
            "import sys, pyarrow.ipc as ipc",
            "t = ipc.open_file(sys.argv[1]).read_all()",
            "g = t.group_by(['proto', 'dport']).aggregate(",
            "    [(c, 'sum') for c in ('spkts', 'dpkts', 'sbytes', 'dbytes')] + [('seq', 'count')])",
            "for r in g.to_pylist():",
            "    print(r['proto'], r['dport'], r['spkts_sum'], r['dpkts_sum'], r['sbytes_sum'],",
            "          r['dbytes_sum'], r['seq_count'])");
    String output = python(script, arrow.toString());

    Map<String, long[]> expected = new TreeMap<>();
    for (FlowRecord r : written) {
      long[] sums =
          expected.computeIfAbsent(
              (r.getProto() == null ? "None" : r.getProto())
                  + " "
                  + (r.getDport() == null ? "None" : r.getDport()),
              k -> new long[5]);
      sums[0] += r.getSpkts();
      sums[1] += r.getDpkts();
      sums[2] += r.getSbytes();
      sums[3] += r.getDbytes();
      sums[4]++;
    }
    Map<String, long[]> read = new TreeMap<>();
    for (String line : output.strip().split("\n")) {
      String[] words = line.split(" ");
      read.put(
          words[0] + " " + words[1],
          Arrays.stream(words, 2, 7).mapToLong(Long::parseLong).toArray());
    }
    assertThat(read).hasSameSizeAs(expected).hasSizeGreaterThan(5);
    expected.forEach((key, sums) -> assertThat(read.get(key)).as(key).containsExactly(sums));
  }
}

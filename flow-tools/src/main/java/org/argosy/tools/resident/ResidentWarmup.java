package org.argosy.tools.resident;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.argosy.avro.MacAddress;
import org.argosy.query.IpAddresses;
import org.argosy.tools.cli.StandardStreams;
import org.argosy.tools.io.ArrowFlowFiles;
import org.argosy.tools.io.ContainerFileWriter;
import picocli.CommandLine;

/**
 * Runs the tools' common questions on made-up flow files before the resident process takes its
 * first client, so that the JIT compilers have compiled the reading, filtering and merging loops by
 * then: a command that came first would otherwise pay the compilation that the process exists to
 * save. The records vary every field a command reads (protocols, addresses, absent ports and
 * addresses, times out of order), since code compiled for one shape is thrown away at another.
 */
final class ResidentWarmup {

  private static final int RECORDS = 200_000;
  private static final int ROUNDS = 2;
  private static final long START_MICROS = 1_764_460_800_000_000L; // 2025-11-30T00:00:00Z

  private static final List<List<String>> QUESTIONS =
      List.of(
          List.of("racluster", "-m", "proto", "dport"),
          List.of("racluster", "-m", "saddr", "daddr"),
          List.of("racluster", "-m", "saddr/24", "-s", "saddr/24", "bytes", "load", "-", "tcp"),
          List.of("ra", "-n", "-", "src", "net", "10.1.0.0/16", "and", "dst", "port", "53"),
          List.of("ra", "-N", "20000"));

  private ResidentWarmup() {}

  /** Runs every question {@value #ROUNDS} times on an Avro and a columnar flow file. */
  static void run(ToolCommands commands) throws IOException {
    Path directory = Files.createTempDirectory("argosy-warmup");
    try {
      List<FlowRecord> records = records(new SplittableRandom(RECORDS));
      Path avro = directory.resolve("flows.avro");
      Path arrow = directory.resolve("flows.arrow");
      writeAvro(records, avro);
      writeArrow(records, arrow);
      for (int round = 0; round < ROUNDS; round++) {
        for (Path file : List.of(avro, arrow)) {
          for (List<String> question : QUESTIONS) {
            List<String> args = new ArrayList<>(question);
            args.addAll(1, List.of("-r", file.toString()));
            execute(commands, args, new byte[0]);
          }
          byte[] aggregates =
              execute(
                  commands,
                  List.of("racluster", "-r", file.toString(), "-w", "-", "-m", "proto", "dport"),
                  new byte[0]);
          execute(
              commands,
              List.of("rasort", "-r", "-", "-m", "bytes", "load", "-s", "dport", "bytes", "load"),
              aggregates);
        }
      }
    } finally {
      try (var files = Files.list(directory)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(directory);
    }
  }

  /** Runs one command with {@code input} as its standard input; returns its standard output. */
  private static byte[] execute(ToolCommands commands, List<String> args, byte[] input) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    String[] argv = args.toArray(String[]::new);
    CommandLine commandLine =
        commands.commandLine(argv, new StandardStreams(new ByteArrayInputStream(input), output));
    commandLine.setOut(new PrintWriter(output));
    commandLine.setErr(new PrintWriter(OutputStream.nullOutputStream()));
    int code = commandLine.execute(argv);
    if (code != 0) {
      throw new IllegalStateException("warm-up command failed (exit " + code + "): " + args);
    }
    return output.toByteArray();
  }

  private static List<FlowRecord> records(SplittableRandom random) {
    List<FlowRecord> records = new ArrayList<>(RECORDS);
    for (int seq = 0; seq < RECORDS; seq++) {
      records.add(record(random, seq));
    }
    return records;
  }

  private static FlowRecord record(SplittableRandom random, int seq) {
    long stime = START_MICROS + random.nextLong(86_400_000_000L);
    FlowRecord.Builder record =
        FlowRecord.newBuilder()
            .setSite("warmup")
            .setSensorId("s" + random.nextInt(3))
            .setIface("eth0")
            .setSeq(seq)
            .setStime(stime)
            .setLtime(stime + random.nextLong(60_000_000L))
            .setCause(FlowCause.values()[random.nextInt(FlowCause.values().length)])
            .setVlanIds(List.of())
            .setMplsLabels(List.of())
            .setSpkts(1 + random.nextInt(100))
            .setDpkts(random.nextInt(100))
            .setSbytes(60 + random.nextInt(100_000))
            .setDbytes(random.nextInt(100_000))
            .setSappbytes(random.nextInt(50_000))
            .setDappbytes(random.nextInt(50_000))
            .setState(random.nextBoolean() ? "CON" : "FIN")
            .setDirection(random.nextBoolean() ? "->" : "<->")
            .setFlags(random.nextInt(1 << 12));
    if (random.nextInt(50) == 0) {
      return record.setEtherType(0x0806).build(); // ARP: no addresses, protocol or ports
    }
    int proto =
        switch (random.nextInt(10)) {
          case 0 -> 1;
          case 1, 2, 3 -> 17;
          default -> 6;
        };
    record
        .setEtherType(0x0800)
        .setProto(proto)
        .setSaddr(ipv4(10, 1 + random.nextInt(2), random.nextInt(16), random.nextInt(256)))
        .setDaddr(ipv4(10, 1 + random.nextInt(2), random.nextInt(16), random.nextInt(256)))
        .setSmac(random.nextBoolean() ? mac(random) : null)
        .setDmac(random.nextBoolean() ? mac(random) : null)
        .setStos(random.nextInt(4))
        .setSttl(64)
        .setDttl(random.nextBoolean() ? 128 : null);
    if (proto == 1) {
      record.setIcmpType(random.nextInt(2) * 8).setIcmpCode(0).setIcmpId(random.nextInt(65536));
    } else {
      record
          .setSport(1024 + random.nextInt(64_000))
          .setDport(random.nextInt(4) == 0 ? 53 : random.nextInt(1024));
    }
    if (proto == 6 && random.nextBoolean()) {
      record.setSynAckMicros(random.nextLong(100_000)).setAckDatMicros(random.nextLong(100_000));
    }
    return record.build();
  }

  private static IpAddress ipv4(int a, int b, int c, int d) {
    return IpAddresses.fromIpv4(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, 0);
  }

  private static MacAddress mac(SplittableRandom random) {
    byte[] bytes = new byte[6];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return new MacAddress(bytes);
  }

  /** As the sensor writes them: Zstandard blocks. */
  private static void writeAvro(List<FlowRecord> records, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ContainerFileWriter.write(out, FlowRecord.getClassSchema(), records);
    }
  }

  private static void writeArrow(List<FlowRecord> records, Path file) throws IOException {
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ArrowFlowFiles.Writer writer = new ArrowFlowFiles.Writer(channel)) {
      for (FlowRecord record : records) {
        writer.add(record);
      }
    }
  }
}

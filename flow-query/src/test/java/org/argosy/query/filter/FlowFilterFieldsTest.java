package org.argosy.query.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.MacAddress;
import org.argosy.query.IpAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FlowFilter#fields()}: a columnar reader fills only these fields, so a filter must answer
 * the same on a record whose other fields hold anything else.
 */
class FlowFilterFieldsTest {

  private static final long SECOND = 1_000_000L;

  /**
   * The expressions of FlowFilterTest and FilterAgainstArgusITCase, and more for the primitives,
   * qualifiers and counters those leave out.
   */
  private static final List<String> EXPRESSIONS =
      List.of(
          "host 10.77.0.10",
          "host 10.77.0.20",
          "src host 10.77.0.20",
          "dst host 10.77.0.20",
          "src and dst host 10.77.0.10",
          "src or dst host 10.77.0.10",
          "host 10.77.0.99",
          "host 10.77.0.11",
          "src host 10.77.0.10",
          "dst host 10.77.0.20 and src host 10.77.0.11",
          "dst host 2001:db8:9::1",
          "net 10.77.0.0/24",
          "src net 10.77.0.0/24",
          "src net 10.77.0.16/28",
          "dst net 10.77.0.16/28",
          "net 10.77.0.16/28",
          "src and dst net 10.77.0.0/24",
          "src net 10.77.0.0/28 and dst net 10.77.0.16/28",
          "net 10.77",
          "net 10.78",
          "net 0.0.0.0/0",
          "net 10.77.0.10/32",
          "src net 2001:db8:1::/48",
          "src net 2001:db8:1:2::/64",
          "src net 2001:db8:1:3::/64",
          "net 2001:db8::/32",
          "port 443",
          "port https",
          "src port 443",
          "dst port 443",
          "port 40001",
          "port 0",
          "not port 443",
          "dst port 53",
          "src port 40051",
          "src or dst port 22",
          "src and dst port 22",
          "portrange 1-1024",
          "src portrange 1-1024",
          "dst portrange 400-500",
          "src and dst portrange 1-65535",
          "dst port 400-500",
          "src port 400-500",
          "port 20-25",
          "dst port 5000-7000",
          "tcp",
          "udp",
          "icmp",
          "icmp6",
          "sctp",
          "ip",
          "ip6",
          "ipv6",
          "arp",
          "rarp",
          "proto 6",
          "proto 17",
          "proto tcp",
          "proto udp",
          "vlan 10",
          "vlan 30",
          "mpls 100",
          "bytes gt 1000",
          "bytes gt 2300",
          "bytes gte 2300",
          "bytes eq 2300",
          "bytes == 2300",
          "bytes != 2300",
          "src bytes lt 301",
          "dst bytes lt 301",
          "src or dst bytes gt 1000",
          "src and dst bytes gt 1000",
          "pkts eq 5",
          "src pkts lt 3",
          "src pkts lte 3",
          "dst pkts < 3",
          "appbytes > 1899",
          "src appbytes gt 50",
          "dst appbytes <= 1800",
          "dur gte 2",
          "dur gt 2",
          "load eq 9200",
          "src load gt 1000",
          "dst load lt 1000",
          "rate eq 2.5",
          "src rate gte 1.5",
          "dst rate > 0",
          "src ttl eq 64",
          "dst ttl lt 64",
          "ttl eq 63",
          "ttl eq 1",
          "ttl ne 5",
          "src and dst ttl gt 1",
          "tos eq 0",
          "src tos gt 0",
          "dst tos eq 32",
          "con",
          "int",
          "eco",
          "req",
          "acc",
          "clo",
          "urp",
          "syn",
          "synack",
          "fin",
          "reset",
          "rst",
          "not tcp",
          "! tcp",
          "tcp and port 443",
          "tcp && port 80",
          "udp or port 443",
          "udp || port 80",
          "not (udp or port 80)",
          "(src host 10.77.0.20 or dst host 10.77.0.20) and not port 22",
          "tcp and (port 22 or port 443) and bytes gt 1000",
          "TCP AND PORT 443",
          "udp or tcp and port 80",
          "not tcp and port 514",
          "ip6 and tcp",
          "(port 22 or port 6379) and src host 10.77.0.10",
          "tcp and not (port 80 or port 443 or port 8080)",
          "udp and not con",
          "tcp and not fin and not reset",
          "not (syn or reset)",
          "src net 10.77.0.0/24 and (dst port 443 or bytes gt 5000)");

  /** {@link FlowFilterTest}'s TCP record with every optional field set as well. */
  private static FlowRecord.Builder tcp() {
    return FlowFilterTest.tcp()
        .setSmac(mac(1))
        .setDmac(mac(2))
        .setVlanIds(List.of(10, 20))
        .setStos(0)
        .setDtos(32)
        .setFlags(3)
        .setAckDatMicros(40L);
  }

  /** Records differing in every field: protocols, families, ports, states, directions, nulls. */
  private static final List<FlowRecord> RECORDS =
      List.of(
          tcp().build(),
          tcp()
              .setSite("other-site")
              .setSensorId("sensor-2")
              .setIface("eth1")
              .setSeq(2)
              .setCause(FlowCause.END)
              .setProto(17)
              .setSaddr(IpAddresses.parse("10.77.0.11"))
              .setSport(40002)
              .setDport(514)
              .setVlanIds(List.of())
              .setStos(null)
              .setDpkts(0)
              .setDbytes(0)
              .setDappbytes(0)
              .setState("INT")
              .setDirection("->")
              .setFlags(0)
              .setSynAckMicros(null)
              .setAckDatMicros(null)
              .build(),
          tcp()
              .setSeq(3)
              .setProto(1)
              .setSport(null)
              .setDport(null)
              .setIcmpType(8)
              .setIcmpCode(0)
              .setIcmpId(77)
              .setSttl(1)
              .setState("ECO")
              .setSynAckMicros(null)
              .build(),
          tcp()
              .setSeq(4)
              .setStime(20 * SECOND)
              .setLtime(30 * SECOND)
              .setEtherType(0x86DD)
              .setSaddr(IpAddresses.parse("2001:db8:1:2::10"))
              .setDaddr(IpAddresses.parse("2001:db8:9::1"))
              .setSport(22)
              .setDport(22)
              .setMplsLabels(List.of(100, 200))
              .setState("FIN")
              .setDirection("->")
              .build(),
          tcp()
              .setSeq(5)
              .setEtherType(0x0806)
              .setProto(null)
              .setSport(null)
              .setDport(null)
              .setSmac(null)
              .setVlanIds(List.of(30))
              .setStos(null)
              .setDtos(null)
              .setSttl(null)
              .setDttl(null)
              .setState("INT")
              .setDirection("who")
              .setSynAckMicros(null)
              .setAckDatMicros(null)
              .build(),
          tcp()
              .setSeq(6)
              .setSport(40051)
              .setDport(6379)
              .setDpkts(0)
              .setDbytes(0)
              .setDappbytes(0)
              .setState("RST")
              .setDirection("->")
              .setSynAckMicros(null)
              .build(),
          // Answered in an earlier record: only the SYN-ACK time says so.
          tcp()
              .setSeq(12)
              .setSaddr(IpAddresses.parse("10.78.1.1"))
              .setDaddr(IpAddresses.parse("10.77.0.99"))
              .setSport(443)
              .setDport(40001)
              .setDtos(0)
              .setSttl(63)
              .setDttl(64)
              .setSpkts(4)
              .setDpkts(0)
              .setDbytes(0)
              .setDappbytes(0)
              .setDirection("->")
              .build(),
          tcp()
              .setSeq(13)
              .setSaddr(IpAddresses.parse("10.77.0.99"))
              .setDaddr(IpAddresses.parse("10.78.0.5"))
              .setSport(0)
              .setDport(0)
              .setSpkts(1)
              .setDpkts(0)
              .setSbytes(60)
              .setDbytes(0)
              .setDappbytes(0)
              .setState("REQ")
              .setDirection("->")
              .setSynAckMicros(null)
              .build(),
          tcp()
              .setSeq(7)
              .setSaddr(IpAddresses.parse("10.77.0.20"))
              .setDaddr(IpAddresses.parse("10.77.0.10"))
              .setSport(80)
              .setDport(53)
              .setMplsLabels(List.of(100))
              .setStos(8)
              .setState("CON")
              .setDirection("<?>")
              .setSynAckMicros(null)
              .build(),
          tcp()
              .setSeq(8)
              .setLtime(10 * SECOND)
              .setSport(22)
              .setDport(80)
              .setSttl(128)
              .setDttl(1)
              .setSpkts(1)
              .setSbytes(60)
              .setSappbytes(0)
              .setState("ACC")
              .setDirection("->")
              .setSynAckMicros(null)
              .build(),
          tcp()
              .setSeq(9)
              .setSaddr(IpAddresses.parse("10.77.0.10"))
              .setDaddr(IpAddresses.parse("10.77.0.10"))
              .setSport(6000)
              .setDport(22)
              .setDpkts(6)
              .setDbytes(5000)
              .setDappbytes(4800)
              .setState("CLO")
              .setDirection("->")
              .build(),
          tcp()
              .setSeq(10)
              .setEtherType(0x86DD)
              .setProto(58)
              .setSaddr(IpAddresses.parse("2001:db8:1:3::1"))
              .setDaddr(IpAddresses.parse("10.77.0.16"))
              .setSport(null)
              .setDport(null)
              .setSpkts(2)
              .setDpkts(0)
              .setState("URP")
              .setDirection("->")
              .setSynAckMicros(null)
              .build(),
          tcp()
              .setSeq(11)
              .setEtherType(0x8035)
              .setProto(132)
              .setDaddr(IpAddresses.parse("10.77.0.11"))
              .setSport(514)
              .setDport(5000)
              .setSbytes(9000)
              .setDbytes(0)
              .setState("REQ")
              .setDirection("?>")
              .setSynAckMicros(null)
              .build(),
          FlowRecord.newBuilder()
              .setSite("")
              .setSensorId("")
              .setIface("")
              .setSeq(0)
              .setStime(0)
              .setLtime(0)
              .setCause(FlowCause.UNKNOWN)
              .setEtherType(0)
              .build());

  private static MacAddress mac(int last) {
    return new MacAddress(new byte[] {2, 0, 0, 0, 0, (byte) last});
  }

  @ParameterizedTest(name = "{0} reads {1}")
  @CsvSource(
      delimiterString = "=>",
      value = {
        "src host 10.0.0.1             => saddr",
        "dst net 10.0.0.0/8            => daddr",
        "host 10.0.0.1                 => saddr daddr",
        "src and dst host 10.0.0.1     => saddr daddr",
        "tcp and dst port 80           => proto dport",
        "src portrange 1-1024          => sport",
        "port 53                       => sport dport",
        "ip or arp                     => etherType",
        "proto 17                      => proto",
        "vlan 10 and mpls 100          => vlanIds mplsLabels",
        "bytes gt 1000                 => sbytes dbytes",
        "src pkts lt 3                 => spkts",
        "dst appbytes gt 0             => dappbytes",
        "ttl eq 64                     => sttl dttl",
        "dst tos eq 0                  => dtos",
        "dur gt 1                      => stime ltime",
        "src load gt 1000              => sbytes stime ltime",
        "rate gt 1                     => spkts dpkts stime ltime",
        "int or eco                    => state",
        "reset                         => state",
        "fin                           => proto state",
        "not (syn or reset)            => proto direction state",
        "synack                        => proto synAckMicros state",
        "con                           => proto dpkts direction synAckMicros state",
      })
  void namesTheFieldsEachPrimitiveReads(String filter, String fields) {
    assertThat(FlowFilter.parse(filter).fields())
        .containsExactlyInAnyOrder(fields.trim().split(" +"));
  }

  @Test
  void theMatchEverythingFilterReadsNothing() {
    assertThat(FlowFilter.all().fields()).isEmpty();
    assertThat(FlowFilter.parse(" ").fields()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressions")
  void namesOnlyFlowRecordFields(String filter) {
    Set<String> avroNames = new HashSet<>();
    for (Schema.Field field : FlowRecord.getClassSchema().getFields()) {
      avroNames.add(field.name());
    }
    assertThat(FlowFilter.parse(filter).fields()).isNotEmpty().isSubsetOf(avroNames);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressions")
  void answersTheSameWhateverTheOtherFieldsHold(String filter) {
    FlowFilter compiled = FlowFilter.parse(filter);
    assertThat(disagreement(compiled, compiled.fields())).isEmpty();
  }

  /**
   * The test above has teeth: for each filter, dropping any one of its fields changes an answer on
   * these records. A new expression may need a record that tells its fields apart.
   */
  @Test
  void theRecordsTellEveryFieldOfEveryFilterApart() {
    Set<String> untold = new TreeSet<>();
    for (String filter : EXPRESSIONS) {
      FlowFilter compiled = FlowFilter.parse(filter);
      for (String field : compiled.fields()) {
        Set<String> others = new HashSet<>(compiled.fields());
        others.remove(field);
        if (disagreement(compiled, others).isEmpty()) {
          untold.add(filter + ": " + field);
        }
      }
    }
    // Naming one field too many is allowed: after 'udp', con's TCP test is never reached.
    assertThat(untold).containsExactly("udp and not con: state", "udp and not con: synAckMicros");
  }

  @Test
  void theFieldsSurviveJavaSerialization() throws Exception {
    FlowFilter filter = FlowFilter.parse("src net 10.77.0.0/24 and (dst port 443 or dur gt 5)");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(filter);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(((FlowFilter) in.readObject()).fields())
          .containsExactlyInAnyOrder("saddr", "dport", "stime", "ltime");
    }
  }

  static List<String> expressions() {
    return EXPRESSIONS;
  }

  /**
   * The first record on which {@code filter} answers otherwise once only its {@code kept} fields
   * are the record's own and the rest another record's, described; empty when there is none.
   */
  private static Optional<String> disagreement(FlowFilter filter, Set<String> kept) {
    for (FlowRecord original : RECORDS) {
      for (FlowRecord donor : RECORDS) {
        if (filter.matches(keeping(kept, original, donor)) != filter.matches(original)) {
          return Optional.of(filter + " on " + original + " with the other fields of " + donor);
        }
      }
    }
    return Optional.empty();
  }

  /** A copy of {@code donor} with the {@code kept} fields of {@code original}. */
  private static FlowRecord keeping(Set<String> kept, FlowRecord original, FlowRecord donor) {
    FlowRecord mixed = FlowRecord.newBuilder(donor).build();
    for (String field : kept) {
      mixed.put(field, original.get(field));
    }
    return mixed;
  }
}

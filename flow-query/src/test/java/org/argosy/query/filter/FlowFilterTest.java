package org.argosy.query.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.query.IpAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlowFilterTest {

  private static final long SECOND = 1_000_000L;

  /** A TCP record 10.77.0.10:40001 -> 10.77.0.20:443, 3+2 packets, 300+2000 bytes over 2 s. */
  static FlowRecord.Builder tcp() {
    return FlowRecord.newBuilder()
        .setSite("site")
        .setSensorId("sensor")
        .setIface("eth0")
        .setSeq(1)
        .setStime(10 * SECOND)
        .setLtime(12 * SECOND)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .setProto(6)
        .setSaddr(IpAddresses.parse("10.77.0.10"))
        .setDaddr(IpAddresses.parse("10.77.0.20"))
        .setSport(40001)
        .setDport(443)
        .setSttl(64)
        .setDttl(63)
        .setSpkts(3)
        .setDpkts(2)
        .setSbytes(300)
        .setDbytes(2000)
        .setSappbytes(100)
        .setDappbytes(1800)
        .setState("CON")
        .setDirection("<->")
        .setSynAckMicros(120L);
  }

  private static final FlowRecord TCP = tcp().build();

  private static final FlowRecord UDP_ONE_WAY =
      tcp()
          .setProto(17)
          .setSport(40002)
          .setDport(514)
          .setDpkts(0)
          .setDbytes(0)
          .setState("INT")
          .setDirection("->")
          .setSynAckMicros(null)
          .build();

  private static final FlowRecord ICMP =
      tcp()
          .setProto(1)
          .setSport(null)
          .setDport(null)
          .setIcmpType(8)
          .setState("ECO")
          .setSynAckMicros(null)
          .build();

  private static final FlowRecord IPV6 =
      tcp()
          .setEtherType(0x86DD)
          .setSaddr(IpAddresses.parse("2001:db8:1:2::10"))
          .setDaddr(IpAddresses.parse("2001:db8:9::1"))
          .build();

  private static final FlowRecord ARP =
      tcp()
          .setEtherType(0x0806)
          .setProto(null)
          .setSport(null)
          .setDport(null)
          .setSttl(null)
          .setDttl(null)
          .setState("INT")
          .setDirection("who")
          .setSynAckMicros(null)
          .build();

  private static boolean matches(String filter, FlowRecord record) {
    return FlowFilter.parse(filter).matches(record);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      value = {
        "host 10.77.0.10                      => true",
        "host 10.77.0.20                      => true",
        "src host 10.77.0.20                  => false",
        "dst host 10.77.0.20                  => true",
        "src and dst host 10.77.0.10          => false",
        "src or dst host 10.77.0.10           => true",
        "host 10.77.0.99                      => false",
        "net 10.77.0.0/24                     => true",
        "src net 10.77.0.0/24                 => true",
        "src net 10.77.0.16/28                => false",
        "dst net 10.77.0.16/28                => true",
        "src and dst net 10.77.0.0/24         => true",
        "net 10.77                            => true",
        "net 10.78                            => false",
        "net 0.0.0.0/0                        => true",
        "net 10.77.0.10/32                    => true",
        "port 443                             => true",
        "port https                           => true",
        "src port 443                         => false",
        "dst port 443                         => true",
        "port 40001                           => true",
        "portrange 1-1024                     => true",
        "src portrange 1-1024                 => false",
        "dst portrange 400-500                => true",
        "dst port 400-500                     => true",
        "src port 400-500                     => false",
        "tcp                                  => true",
        "udp                                  => false",
        "ip                                   => true",
        "ip6                                  => false",
        "proto 6                              => true",
        "proto tcp                            => true",
        "proto udp                            => false",
        "bytes gt 1000                        => true",
        "bytes gt 2300                        => false",
        "bytes gte 2300                       => true",
        "bytes eq 2300                        => true",
        "bytes == 2300                        => true",
        "bytes != 2300                        => false",
        "src bytes lt 301                     => true",
        "dst bytes lt 301                     => false",
        "src or dst bytes gt 1000             => true",
        "src and dst bytes gt 1000            => false",
        "pkts eq 5                            => true",
        "src pkts lt 3                        => false",
        "src pkts lte 3                       => true",
        "dst pkts < 3                         => true",
        "appbytes > 1899                      => true",
        "dur gte 2                            => true",
        "dur gt 2                             => false",
        "load eq 9200                         => true",
        "rate eq 2.5                          => true",
        "src ttl eq 64                        => true",
        "ttl eq 63                            => true",
        "ttl eq 1                             => false",
        "con                                  => true",
        "syn                                  => true",
        "synack                               => true",
        "fin                                  => false",
        "reset                                => false",
        "not tcp                              => false",
        "! tcp                                => false",
        "tcp and port 443                     => true",
        "tcp && port 80                       => false",
        "udp or port 443                      => true",
        "udp || port 80                       => false",
        "not (udp or port 80)                 => true",
        "(src host 10.77.0.20 or dst host 10.77.0.20) and not port 22 => true",
        "tcp and (port 22 or port 443) and bytes gt 1000 => true",
        "TCP AND PORT 443                     => true",
        "udp or tcp and port 80               => false",
      })
  void evaluatesOnTheTcpRecord(String filter, boolean expected) {
    assertThat(matches(filter, TCP)).as(filter).isEqualTo(expected);
  }

  @Test
  void andBindsTighterThanOr() {
    // udp or (tcp and port 80): the UDP record passes, the TCP one (port 443) does not.
    assertThat(matches("udp or tcp and port 80", UDP_ONE_WAY)).isTrue();
    assertThat(matches("udp or tcp and port 80", TCP)).isFalse();
    assertThat(matches("not tcp and port 514", UDP_ONE_WAY)).isTrue();
  }

  @Test
  void statesFollowArgus() {
    assertThat(matches("con", UDP_ONE_WAY)).as("no answer: not connected").isFalse();
    assertThat(matches("int", UDP_ONE_WAY)).isTrue();
    assertThat(matches("syn", UDP_ONE_WAY)).as("syn is TCP only").isFalse();
    assertThat(matches("eco", ICMP)).isTrue();
    assertThat(matches("reset", tcp().setState("RST").build())).isTrue();
    assertThat(matches("fin", tcp().setState("CLO").build())).isTrue();
    assertThat(matches("fin", tcp().setState("FIN").build())).isTrue();
    FlowRecord midstream = tcp().setDirection("<?>").setSynAckMicros(null).build();
    assertThat(matches("syn", midstream)).as("start not seen").isFalse();
    assertThat(matches("synack", midstream)).isFalse();
    assertThat(matches("con", midstream)).isTrue();
    assertThat(matches("synack", tcp().setState("ACC").setSynAckMicros(null).build())).isTrue();
    FlowRecord refused =
        tcp().setDirection("->").setSynAckMicros(null).setState("RST").setDpkts(0).build();
    assertThat(matches("con", refused)).as("a RST answers").isTrue();
    FlowRecord unanswered =
        tcp().setDirection("->").setSynAckMicros(null).setState("REQ").setDpkts(0).build();
    assertThat(matches("con", unanswered)).isFalse();
    FlowRecord answeredEarlier = tcp().setDirection("->").setDpkts(0).build();
    assertThat(matches("con", answeredEarlier)).as("SYN-ACK seen in an earlier record").isTrue();
  }

  @Test
  void protocolsAndFamilies() {
    assertThat(matches("icmp", ICMP)).isTrue();
    assertThat(matches("icmp", TCP)).isFalse();
    assertThat(matches("port 0", ICMP)).as("ICMP has no ports").isFalse();
    assertThat(matches("not port 443", ICMP)).isTrue();
    assertThat(matches("arp", ARP)).isTrue();
    assertThat(matches("ip", ARP)).isFalse();
    assertThat(matches("host 10.77.0.10", ARP)).as("ARP sender protocol address").isTrue();
    assertThat(matches("ttl ne 5", ARP)).as("a missing TTL matches no comparison").isFalse();
    assertThat(matches("ip6 and tcp", IPV6)).isTrue();
    assertThat(matches("ipv6", IPV6)).isTrue();
    assertThat(matches("ip", IPV6)).isFalse();
    assertThat(matches("vlan 10", tcp().setVlanIds(List.of(10, 20)).build())).isTrue();
    assertThat(matches("vlan 30", tcp().setVlanIds(List.of(10, 20)).build())).isFalse();
  }

  @Test
  void ipv6NetworksAndHostsUseAll128Bits() {
    assertThat(matches("src net 2001:db8:1::/48", IPV6)).isTrue();
    assertThat(matches("src net 2001:db8:1:2::/64", IPV6)).isTrue();
    assertThat(matches("src net 2001:db8:1:3::/64", IPV6)).isFalse();
    assertThat(matches("dst host 2001:db8:9::1", IPV6)).isTrue();
    assertThat(matches("net 2001:db8::/32", TCP)).as("an IPv4 flow").isFalse();
    assertThat(matches("net 10.77.0.0/24", IPV6)).isFalse();
  }

  @Test
  void blankMeansEveryRecord() {
    assertThat(FlowFilter.parse("  ").isAll()).isTrue();
    assertThat(FlowFilter.parse(null).matches(ARP)).isTrue();
    assertThat(FlowFilter.parse(" tcp ").toString()).isEqualTo("tcp");
  }

  @Test
  void aSinkBehindTheFilterGetsOnlyTheRecordsThatPass() {
    List<FlowRecord> udp = new ArrayList<>();
    FlowFilter.parse("udp").passing(udp::add).accept(TCP);
    FlowFilter.parse("udp").passing(udp::add).accept(UDP_ONE_WAY);
    assertThat(udp).containsExactly(UDP_ONE_WAY);
    List<FlowRecord> all = new ArrayList<>();
    FlowFilter.all().passing(all::add).accept(ARP);
    assertThat(all).containsExactly(ARP);
  }

  @Test
  void survivesJavaSerializationAsJobsShipIt() throws Exception {
    FlowFilter filter =
        FlowFilter.parse("src net 10.77.0.0/24 and (dst port 443 or bytes gt 5000)");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(filter);
    }
    FlowFilter copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (FlowFilter) in.readObject();
    }
    assertThat(copy.matches(TCP)).isTrue();
    assertThat(copy.matches(ARP)).isFalse();
    assertThat(copy.toString()).isEqualTo(filter.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "=>",
      value = {
        "bogus                     => 1  => expected a filter term",
        "host                      => 5  => expected an IPv4 or IPv6 address, found the end",
        "host 10.77.0              => 6  => expected an IPv4 or IPv6 address, found '10.77.0'",
        "host dead.beef            => 6  => expected an IPv4 or IPv6 address",
        "host 10.0.0.0/8           => 6  => write 'net 10.0.0.0/8'",
        "net 10.0.0.0/33           => 5  => prefix length 0..32",
        "net 2001:db8::/129        => 5  => prefix length 0..128",
        "port 70000                => 6  => expected a port number 0..65535",
        "port 80 or 443            => 12 => repeat the keyword",
        "portrange 100             => 11 => expected a port range such as 1-1024",
        "portrange 200-100         => 11 => is empty",
        "tcp and                   => 8  => found the end of the filter",
        "tcp or or udp             => 8  => found 'or'",
        "tcp udp                   => 5  => expected 'and', 'or' or the end of the filter, found 'udp'",
        "(tcp or udp               => 12 => expected ')' to close the '(' at column 1",
        "tcp)                      => 4  => found ')'",
        "bytes 1000                => 7  => expected a comparison",
        "bytes gt                  => 9  => expected a number, found the end",
        "bytes gt lots             => 10 => expected a number, found 'lots'",
        "src dur gt 3              => 5  => property of the whole flow",
        "src tcp                   => 5  => expected host, net, port, portrange or a counter",
        "proto banana              => 7  => expected a protocol number",
        "tcp & udp                 => 5  => write && or the word",
        "not                       => 4  => found the end of the filter",
        "()                        => 2  => found ')'",
      })
  void badFiltersNameTheColumnAndWhatWasExpected(String filter, int column, String problem) {
    assertThatThrownBy(() -> FlowFilter.parse(filter))
        .isInstanceOfSatisfying(
            FilterSyntaxException.class,
            e -> {
              assertThat(e.column()).as("column").isEqualTo(column);
              assertThat(e.problem()).contains(problem);
              assertThat(e.getMessage()).startsWith("column " + column + ": ").contains(filter);
            });
  }

  @Test
  void theMessageShowsACaretUnderTheColumn() {
    assertThatThrownBy(() -> FlowFilter.parse("tcp and prot 80"))
        .hasMessageEndingWith("  tcp and prot 80" + System.lineSeparator() + "          ^");
  }
}

package org.argosy.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.KeyField;
import org.junit.jupiter.api.Test;

class ClusterKeySpecTest {

  static FlowRecord tcp(String saddr, int sport, String daddr, int dport) {
    return FlowRecord.newBuilder()
        .setSite("site-a")
        .setSensorId("s1")
        .setIface("eth0")
        .setSeq(1)
        .setStime(0)
        .setLtime(0)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .setProto(6)
        .setSaddr(IpAddresses.parse(saddr))
        .setDaddr(IpAddresses.parse(daddr))
        .setSport(sport)
        .setDport(dport)
        .build();
  }

  @Test
  void dportImpliesProtoAsInArgus() {
    ClusterKeySpec spec = ClusterKeySpec.parse("dport");
    assertThat(spec.fieldNames()).containsExactly("proto", "dport");
    String key = spec.keyOf(tcp("10.0.0.1", 40000, "10.0.0.2", 443));
    assertThat(spec.keyFields(key))
        .containsExactly(new KeyField("proto", "6"), new KeyField("dport", "443"));
  }

  @Test
  void masksGroupAddressesByPrefix() {
    ClusterKeySpec spec = ClusterKeySpec.parse(List.of("saddr/24"));
    assertThat(spec.keyOf(tcp("10.1.2.3", 1, "10.9.9.9", 2)))
        .isEqualTo(spec.keyOf(tcp("10.1.2.250", 5, "10.8.8.8", 6)))
        .isNotEqualTo(spec.keyOf(tcp("10.1.3.1", 1, "10.9.9.9", 2)));
    assertThat(spec.keyFields(spec.keyOf(tcp("10.1.2.3", 1, "10.9.9.9", 2))))
        .containsExactly(new KeyField("saddr/24", "10.1.2.0"));
  }

  @Test
  void missingFieldsAreEmptyValues() {
    ClusterKeySpec spec = ClusterKeySpec.parse("proto dport vlan");
    FlowRecord icmp = tcp("10.0.0.1", 0, "10.0.0.2", 0);
    icmp.setProto(1);
    icmp.setSport(null);
    icmp.setDport(null);
    assertThat(spec.keyFields(spec.keyOf(icmp)))
        .extracting(KeyField::getValue)
        .containsExactly("1", "", "");
  }

  @Test
  void badTermsNameTheProblem() {
    assertThatThrownBy(() -> ClusterKeySpec.parse("proto dprot"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("'dprot'")
        .hasMessageContaining("dport");
    assertThatThrownBy(() -> ClusterKeySpec.parse("dport/8"))
        .hasMessageContaining("only saddr and daddr");
    assertThatThrownBy(() -> ClusterKeySpec.parse("saddr/x")).hasMessageContaining("0..128");
    assertThatThrownBy(() -> ClusterKeySpec.parse("saddr saddr")).hasMessageContaining("twice");
    assertThatThrownBy(() -> ClusterKeySpec.parse(List.of())).hasMessageContaining("empty");
  }
}

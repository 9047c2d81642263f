package org.argosy.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.argosy.avro.IpAddress;
import org.junit.jupiter.api.Test;

class IpAddressesTest {

  @Test
  void ipv4IsStoredMappedAndPrintedDotted() {
    IpAddress address = IpAddresses.parse("192.168.7.200");
    assertThat(IpAddresses.isIpv4(address)).isTrue();
    assertThat(address.bytes()).startsWith(new byte[10]);
    assertThat(IpAddresses.format(address)).isEqualTo("192.168.7.200");
  }

  @Test
  void ipv4MasksUseIpv4PrefixLengths() {
    IpAddress address = IpAddresses.parse("10.201.17.99");
    assertThat(IpAddresses.format(IpAddresses.mask(address, 24))).isEqualTo("10.201.17.0");
    assertThat(IpAddresses.format(IpAddresses.mask(address, 21))).isEqualTo("10.201.16.0");
    assertThat(IpAddresses.format(IpAddresses.mask(address, 0))).isEqualTo("0.0.0.0");
    assertThat(IpAddresses.isIpv4(IpAddresses.mask(address, 0))).isTrue();
    assertThatThrownBy(() -> IpAddresses.mask(address, 33))
        .hasMessageContaining("out of range 0..32");
  }

  @Test
  void ipv6MasksAndCompressedText() {
    IpAddress address = IpAddresses.parse("2001:db8:0:0:1:0:0:1");
    assertThat(IpAddresses.format(address)).isEqualTo("2001:db8::1:0:0:1");
    assertThat(IpAddresses.format(IpAddresses.mask(address, 64))).isEqualTo("2001:db8::");
    assertThat(IpAddresses.format(IpAddresses.parse("::1"))).isEqualTo("::1");
    assertThat(IpAddresses.format(IpAddresses.parse("fe80::"))).isEqualTo("fe80::");
  }

  @Test
  void byteOrderIsAddressOrder() {
    byte[] low = IpAddresses.parse("10.0.0.9").bytes();
    byte[] high = IpAddresses.parse("10.0.0.10").bytes();
    assertThat(java.util.Arrays.compareUnsigned(low, high)).isNegative();
  }

  @Test
  void rejectsHostNames() {
    assertThatThrownBy(() -> IpAddresses.parse("example.com"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package org.argosy.sensor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.argosy.sensor.decode.DecodedPacket;
import org.junit.jupiter.api.Test;

/** The fragment table on its own: joining, expiry, eviction when full, growth. */
class FragmentJoinerTest {

  private static final int UDP = 17;

  /** A fragment of datagram {@code id} from 10.0.0.1 to 10.0.0.2; the first carries the ports. */
  private static DecodedPacket fragment(int id, boolean first, boolean more) {
    DecodedPacket p = new DecodedPacket();
    p.etherType = 0x0800;
    p.hasAddresses = true;
    p.srcAddr[10] = p.dstAddr[10] = (byte) 0xff;
    p.srcAddr[11] = p.dstAddr[11] = (byte) 0xff;
    p.srcAddr[12] = p.dstAddr[12] = 10;
    p.srcAddr[15] = 1;
    p.dstAddr[15] = 2;
    p.protocol = UDP;
    p.fragmented = true;
    p.fragmentId = id;
    p.laterFragment = !first;
    p.moreFragments = more;
    p.srcPort = first ? 5000 + id : -1;
    p.dstPort = first ? 53 : -1;
    p.icmpType = -1;
    return p;
  }

  /** The source port a later fragment of {@code id} gets (0: its first is not remembered). */
  private static int joinedPort(FragmentJoiner joiner, int id, boolean last, long time) {
    DecodedPacket later = fragment(id, false, !last);
    joiner.join(later, time);
    return later.srcPort;
  }

  @Test
  void laterFragmentsTakeTheFirstFragmentsPortsUntilTheLastOne() {
    FragmentJoiner joiner = new FragmentJoiner();
    joiner.join(fragment(7, true, true), 0);

    assertThat(joinedPort(joiner, 7, false, 1)).isEqualTo(5007);
    assertThat(joinedPort(joiner, 7, true, 2)).isEqualTo(5007);
    assertThat(joiner.pending()).isZero();
    assertThat(joinedPort(joiner, 7, true, 3)).isZero();
  }

  @Test
  void datagramsOlderThanTheTimeoutAreForgotten() {
    FragmentJoiner joiner = new FragmentJoiner();
    joiner.join(fragment(1, true, true), 0);
    joiner.join(fragment(2, true, true), FragmentJoiner.TIMEOUT_MICROS / 2);

    joiner.expire(FragmentJoiner.TIMEOUT_MICROS);

    assertThat(joiner.pending()).isEqualTo(1);
    assertThat(joinedPort(joiner, 1, false, 0)).isZero();
    assertThat(joinedPort(joiner, 2, false, 0)).isEqualTo(5002);
  }

  @Test
  void aFullTableForgetsItsOldestDatagram() {
    FragmentJoiner joiner = new FragmentJoiner(4);
    for (int id = 1; id <= 5; id++) {
      joiner.join(fragment(id, true, true), id);
    }

    assertThat(joiner.pending()).isEqualTo(4);
    assertThat(joinedPort(joiner, 1, false, 9)).isZero();
    for (int id = 2; id <= 5; id++) {
      assertThat(joinedPort(joiner, id, false, 9)).isEqualTo(5000 + id);
    }
  }

  @Test
  void growingKeepsEveryDatagramAndItsArrivalOrder() {
    FragmentJoiner joiner = new FragmentJoiner();
    for (int id = 0; id < 1_000; id++) {
      joiner.join(fragment(id, true, true), id);
      if (id % 3 == 0) {
        assertThat(joinedPort(joiner, id, true, id)).isEqualTo(5000 + id); // completed at once
      }
    }
    assertThat(joiner.pending()).isEqualTo(666);

    joiner.expire(FragmentJoiner.TIMEOUT_MICROS + 499); // first fragments up to 499 time out

    assertThat(joiner.pending()).isEqualTo(333);
    assertThat(joinedPort(joiner, 499, false, 0)).isZero();
    assertThat(joinedPort(joiner, 500, false, 0)).isEqualTo(5500);
    assertThat(joinedPort(joiner, 998, false, 0)).isEqualTo(5998);
  }
}

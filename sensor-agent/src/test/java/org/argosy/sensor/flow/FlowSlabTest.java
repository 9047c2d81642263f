package org.argosy.sensor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.argosy.sensor.decode.DecodedPacket;
import org.junit.jupiter.api.Test;

/**
 * The slab's index and LRU order against a LinkedHashMap in access order, through random inserts,
 * lookups and removals (removals exercise the backward-shift deletion of the linear-probing index,
 * growth its rebuilding).
 */
class FlowSlabTest {

  private static final int KEYS = 5_000;

  private final FlowKey key = new FlowKey();

  /** Key number {@code n}: a UDP flow from 10.0.x.y to 10.1.0.1 port 53. */
  private FlowKey key(int n) {
    DecodedPacket p = new DecodedPacket();
    p.etherType = 0x0800;
    p.hasAddresses = true;
    p.protocol = 17;
    p.srcAddr[10] = p.dstAddr[10] = (byte) 0xff;
    p.srcAddr[11] = p.dstAddr[11] = (byte) 0xff;
    p.srcAddr[12] = 10;
    p.srcAddr[14] = (byte) (n >> 8);
    p.srcAddr[15] = (byte) n;
    p.dstAddr[12] = 10;
    p.dstAddr[13] = 1;
    p.dstAddr[15] = 1;
    p.srcPort = 1024 + (n >> 16);
    p.dstPort = 53;
    p.icmpType = -1;
    key.fill(p);
    return key;
  }

  @Test
  void findsWhatWasInsertedAndForgetsWhatWasRemovedInLruOrder() {
    FlowSlab slab = new FlowSlab(KEYS);
    Map<Integer, Integer> model = new LinkedHashMap<>(16, 0.75f, true); // key number -> slot
    Random random = new Random(42);
    for (int step = 0; step < 200_000; step++) {
      int n = random.nextInt(KEYS);
      int slot = slab.find(key(n));
      Integer expected = model.get(n);
      assertThat(slot).isEqualTo(expected == null ? -1 : expected);
      int action = random.nextInt(3);
      if (slot < 0 && action > 0) {
        model.put(n, slab.insert(key(n)));
      } else if (slot >= 0 && action == 0) {
        slab.remove(slot);
        model.remove(n);
      } else if (slot >= 0) {
        slab.touch(slot);
      }
      assertThat(slab.size()).isEqualTo(model.size());
      int eldest = model.isEmpty() ? -1 : model.values().iterator().next();
      assertThat(slab.eldest()).isEqualTo(eldest);
    }
    List<Integer> inUse = new ArrayList<>();
    for (int slot = 0; slot < slab.limit(); slot++) {
      if (slab.inUse(slot)) {
        inUse.add(slot);
      }
    }
    assertThat(inUse).containsExactlyInAnyOrderElementsOf(model.values());
  }

  @Test
  void aSlotKeepsItsKeyAndASlabGrowsOnlyToItsCapacity() {
    FlowSlab slab = new FlowSlab(3_000);
    for (int n = 0; n < 3_000; n++) {
      int slot = slab.insert(key(n));
      assertThat(slab.longs[slot * FlowSlab.LONGS + FlowSlab.KEY + FlowKey.LOW_ADDRESS_LOW])
          .isEqualTo(key(n).words[FlowKey.LOW_ADDRESS_LOW]);
    }
    assertThat(slab.labels.length).isEqualTo(3_000);
    assertThat(slab.find(key(2_999))).isNotNegative();
    assertThatThrownBy(() -> slab.insert(key(3_000))).hasMessageContaining("3000 slots");
    slab.clear();
    assertThat(slab.size()).isZero();
    assertThat(slab.find(key(7))).isEqualTo(-1);
  }
}

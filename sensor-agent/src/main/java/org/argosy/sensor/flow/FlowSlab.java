package org.argosy.sensor.flow;

import java.util.Arrays;

/**
 * Storage of the active flows without an object per flow: each flow is a slot, its fields at named
 * offsets in one stride of {@link #longs} ({@value #LONGS} per slot) and one of {@link #ints}
 * ({@value #INTS} per slot), found by an open-addressing hash index (linear probing, backward-shift
 * deletion, at most half full, the hash beside the slot number) over the packed keys, and kept in
 * least-recently-used order, for eviction, by a doubly linked list threaded through the slots.
 * Slots of removed flows are reused; the arrays grow by doubling up to the table's capacity. VLAN
 * and MPLS stacks, rare, hang off {@link #labels}.
 *
 * <p>What the fields mean is {@link FlowMeter}'s business; this class only stores them.
 */
final class FlowSlab {

  // longs of a slot: the packed key first, then what FlowMeter keeps
  static final int KEY = 0;
  static final int MACS = KEY + FlowKey.LONGS;
  static final int SPKTS = MACS + 2;
  static final int DPKTS = SPKTS + 1;
  static final int SBYTES = DPKTS + 1;
  static final int DBYTES = SBYTES + 1;
  static final int SAPPBYTES = DBYTES + 1;
  static final int DAPPBYTES = SAPPBYTES + 1;
  static final int PENDING_STIME = DAPPBYTES + 1;
  static final int PENDING_LTIME = PENDING_STIME + 1;
  static final int LAST_SEEN = PENDING_LTIME + 1;
  static final int SYN_TIME = LAST_SEEN + 1;
  static final int SYN_ACK_TIME = SYN_TIME + 1;
  static final int ACK_TIME = SYN_ACK_TIME + 1;
  static final int LONGS = ACK_TIME + 1;

  // ints of a slot: FlowMeter's, then the index hash and the LRU links
  static final int BITS = 0;
  static final int FLOW_FLAGS = 1;
  static final int TCP_FLAGS = 2;
  static final int TOS_TTL = 3;
  static final int ICMP = 4;
  static final int INITIATOR_NEXT_SEQ = 5;
  static final int RESPONDER_NEXT_SEQ = 6;
  static final int HASH = 7;
  static final int OLDER = 8;
  static final int NEWER = 9;
  static final int INTS = 10;

  private static final int NONE = -1;

  /** The {@link #OLDER} link of a slot that holds no flow. */
  private static final int FREE = -2;

  private static final int INITIAL_SLOTS = 1024;

  long[] longs;
  int[] ints;
  int[][] labels;

  private final int maxSlots;

  /**
   * Per position the key's hash in the upper 32 bits and slot + 1 in the lower 32, 0 for an empty
   * position (so that a probe compares hashes without touching the slot); a power of two long.
   */
  private long[] index;

  private int mask;
  private int size;

  /** Slots below this were handed out at least once. */
  private int highWater;

  /** Free slots, chained through their {@link #NEWER} field. */
  private int freeHead = NONE;

  private int eldest = NONE;
  private int newest = NONE;

  FlowSlab(int maxSlots) {
    if (maxSlots < 1 || maxSlots > Integer.MAX_VALUE / LONGS) {
      throw new IllegalArgumentException(
          "flow table capacity "
              + maxSlots
              + " must be between 1 and "
              + Integer.MAX_VALUE / LONGS);
    }
    this.maxSlots = maxSlots;
    allocate(Math.min(maxSlots, INITIAL_SLOTS));
  }

  private void allocate(int slots) {
    longs = longs == null ? new long[slots * LONGS] : Arrays.copyOf(longs, slots * LONGS);
    ints = ints == null ? new int[slots * INTS] : Arrays.copyOf(ints, slots * INTS);
    labels = labels == null ? new int[slots][] : Arrays.copyOf(labels, slots);
    index = new long[Integer.highestOneBit(Math.max(2, slots) * 2 - 1) * 2];
    mask = index.length - 1;
    for (int slot = eldest; slot != NONE; slot = ints[slot * INTS + NEWER]) {
      place(slot);
    }
  }

  private int capacity() {
    return labels.length;
  }

  int size() {
    return size;
  }

  /** The slot holding {@code key}, or -1. */
  int find(FlowKey key) {
    int hash = key.hash();
    long[] words = key.words;
    for (int position = hash & mask; ; position = (position + 1) & mask) {
      long entry = index[position];
      if (entry == 0) {
        return NONE;
      }
      int slot = (int) entry - 1;
      if ((int) (entry >>> 32) == hash && keyEquals(slot * LONGS + KEY, words)) {
        return slot;
      }
    }
  }

  private boolean keyEquals(int at, long[] words) {
    return longs[at + FlowKey.TYPE_PORTS] == words[FlowKey.TYPE_PORTS]
        && longs[at + FlowKey.LOW_ADDRESS_LOW] == words[FlowKey.LOW_ADDRESS_LOW]
        && longs[at + FlowKey.HIGH_ADDRESS_LOW] == words[FlowKey.HIGH_ADDRESS_LOW]
        && longs[at + FlowKey.LOW_ADDRESS_HIGH] == words[FlowKey.LOW_ADDRESS_HIGH]
        && longs[at + FlowKey.HIGH_ADDRESS_HIGH] == words[FlowKey.HIGH_ADDRESS_HIGH];
  }

  /**
   * A cleared slot for {@code key}, indexed and newest in LRU order; the caller makes room first
   * ({@link #size()} below the table's capacity).
   */
  int insert(FlowKey key) {
    if (size >= maxSlots) {
      throw new IllegalStateException("flow slab full: " + maxSlots + " slots");
    }
    int slot;
    if (freeHead != NONE) {
      slot = freeHead;
      freeHead = ints[slot * INTS + NEWER];
    } else {
      if (highWater == capacity()) {
        allocate((int) Math.min(maxSlots, 2L * capacity()));
      }
      slot = highWater++;
    }
    int longBase = slot * LONGS;
    int intBase = slot * INTS;
    Arrays.fill(longs, longBase, longBase + LONGS, 0L);
    Arrays.fill(ints, intBase, intBase + INTS, 0);
    labels[slot] = null;
    System.arraycopy(key.words, 0, longs, longBase + KEY, FlowKey.LONGS);
    ints[intBase + HASH] = key.hash();
    place(slot);
    linkNewest(slot);
    size++;
    return slot;
  }

  private void place(int slot) {
    int hash = ints[slot * INTS + HASH];
    int position = hash & mask;
    while (index[position] != 0) {
      position = (position + 1) & mask;
    }
    index[position] = (long) hash << 32 | (slot + 1);
  }

  /** Removes the flow in {@code slot} from the index and the LRU order; the slot is reused. */
  void remove(int slot) {
    int position = ints[slot * INTS + HASH] & mask;
    while ((int) index[position] != slot + 1) {
      position = (position + 1) & mask;
    }
    // backward-shift deletion: pull later entries of the probe run into the gap
    int gap = position;
    for (int next = (gap + 1) & mask; index[next] != 0; next = (next + 1) & mask) {
      int home = (int) (index[next] >>> 32) & mask;
      boolean movable = next > gap ? home <= gap || home > next : home <= gap && home > next;
      if (movable) {
        index[gap] = index[next];
        gap = next;
      }
    }
    index[gap] = 0;
    unlink(slot);
    labels[slot] = null;
    ints[slot * INTS + OLDER] = FREE;
    ints[slot * INTS + NEWER] = freeHead;
    freeHead = slot;
    size--;
  }

  /** Marks {@code slot} as the most recently used. */
  void touch(int slot) {
    if (slot != newest) {
      unlink(slot);
      linkNewest(slot);
    }
  }

  /**
   * Slots from 0 up to this may hold a flow ({@link #inUse}); visiting them in this order reads the
   * slab sequentially, which is how the table sweeps it at every status boundary.
   */
  int limit() {
    return highWater;
  }

  boolean inUse(int slot) {
    return ints[slot * INTS + OLDER] != FREE;
  }

  /** The least recently used slot, or -1 when empty. */
  int eldest() {
    return eldest;
  }

  /** Removes every flow. */
  void clear() {
    Arrays.fill(index, 0);
    Arrays.fill(labels, null);
    size = 0;
    highWater = 0;
    freeHead = NONE;
    eldest = NONE;
    newest = NONE;
  }

  private void linkNewest(int slot) {
    int base = slot * INTS;
    ints[base + OLDER] = newest;
    ints[base + NEWER] = NONE;
    if (newest == NONE) {
      eldest = slot;
    } else {
      ints[newest * INTS + NEWER] = slot;
    }
    newest = slot;
  }

  private void unlink(int slot) {
    int base = slot * INTS;
    int older = ints[base + OLDER];
    int newer = ints[base + NEWER];
    if (older == NONE) {
      eldest = newer;
    } else {
      ints[older * INTS + NEWER] = newer;
    }
    if (newer == NONE) {
      newest = older;
    } else {
      ints[newer * INTS + OLDER] = older;
    }
  }
}

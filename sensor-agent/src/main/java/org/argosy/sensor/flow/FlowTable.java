package org.argosy.sensor.flow;

import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.decode.DecodedPacket;

/**
 * The table of active conversations. Packet time drives it: when packet time enters a new status
 * slot (a multiple of the status interval since the epoch), every flow with traffic since its last
 * record emits one, closed TCP connections leave the table after a short linger (final record,
 * cause END), and flows idle past their protocol's timeout leave it too (cause TIMEOUT). A full
 * table evicts its least recently used flow with a final record; nothing is dropped silently.
 *
 * <p>Flows are slots of a {@link FlowSlab} (flat primitive arrays, no object per flow) found by
 * their packed {@link FlowKey}; metering a packet allocates nothing.
 */
public final class FlowTable {

  /** Receives each record the table emits, with the conversation hash for partitioning. */
  @FunctionalInterface
  public interface RecordListener {
    void onRecord(FlowRecord record, long conversationHash);
  }

  /**
   * How long a closed TCP connection (FIN from both sides, or RST) stays after its last packet, so
   * that trailing ACKs and retransmitted FINs still land in it, before its final record.
   */
  static final long CLOSE_LINGER_MICROS = 2_000_000;

  private final FlowTableConfig config;
  private final SensorIdentity identity;
  private final RecordListener listener;
  private final FlowSlab slab;
  private final FlowMeter meter;
  private final FlowKey key = new FlowKey();
  private final FragmentJoiner fragments = new FragmentJoiner();
  private long currentSlot = Long.MIN_VALUE;
  private final SequenceNumbers sequence;
  private long evicted;

  public FlowTable(
      FlowTableConfig config,
      SensorIdentity identity,
      SequenceNumbers sequence,
      RecordListener listener) {
    this.config = config;
    this.identity = identity;
    this.listener = listener;
    this.sequence = sequence;
    this.slab = new FlowSlab(config.maxFlows());
    this.meter = new FlowMeter(slab);
  }

  public void add(DecodedPacket packet, long timeMicros, long wireLength) {
    advanceTo(timeMicros);
    fragments.join(packet, timeMicros);
    key.fill(packet);
    int slot = slab.find(key);
    if (slot < 0) {
      if (slab.size() >= config.maxFlows()) {
        evictLeastRecentlyUsed();
      }
      slot = slab.insert(key);
      meter.start(slot, key, packet);
    } else {
      slab.touch(slot);
    }
    meter.add(slot, packet, key.packetFromLow(), timeMicros, wireLength);
  }

  /**
   * Moves table time to {@code timeMicros}: entering a new status slot emits the status records of
   * the slot just ended and retires idle flows. Packets call it with their own time; a live sensor
   * also calls it from a wall-clock tick so that an idle interface still ages its flows.
   */
  public void advanceTo(long timeMicros) {
    long slot = Math.floorDiv(timeMicros, config.statusIntervalMicros());
    if (slot > currentSlot) {
      if (currentSlot != Long.MIN_VALUE) {
        closeSlot(timeMicros);
      }
      currentSlot = slot;
    }
  }

  /** Emits a record for every flow with traffic not yet reported, e.g. at the end of a capture. */
  public void flushAll() {
    for (int slot = 0; slot < slab.limit(); slot++) {
      if (slab.inUse(slot) && meter.hasPending(slot)) {
        emit(slot, FlowCause.END);
      }
    }
    slab.clear();
  }

  public int activeFlows() {
    return slab.size();
  }

  public long evictedFlows() {
    return evicted;
  }

  private void closeSlot(long now) {
    fragments.expire(now);
    for (int slot = 0; slot < slab.limit(); slot++) {
      if (!slab.inUse(slot)) {
        continue;
      }
      long quiet = now - meter.lastSeen(slot);
      boolean closed = meter.isClosed(slot) && quiet >= CLOSE_LINGER_MICROS;
      boolean idle = quiet >= config.idleTimeoutFor(meter.etherType(slot), meter.protocol(slot));
      if (meter.hasPending(slot)) {
        emit(slot, closed ? FlowCause.END : idle ? FlowCause.TIMEOUT : statusCause(slot));
      }
      if (closed || idle) {
        slab.remove(slot);
      }
    }
  }

  private FlowCause statusCause(int slot) {
    return meter.hasEmitted(slot) ? FlowCause.STATUS : FlowCause.START;
  }

  private void evictLeastRecentlyUsed() {
    int slot = slab.eldest();
    if (meter.hasPending(slot)) {
      emit(slot, FlowCause.EVICTED);
    }
    slab.remove(slot);
    evicted++;
  }

  private void emit(int slot, FlowCause cause) {
    listener.onRecord(
        meter.drain(slot, cause, identity, sequence.next()), meter.conversationHash(slot));
  }
}

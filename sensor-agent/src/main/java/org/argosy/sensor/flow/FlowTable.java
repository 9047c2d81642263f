package org.argosy.sensor.flow;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.decode.DecodedPacket;

/**
 * The table of active conversations. Packet time drives it: when packet time enters a new status
 * slot (a multiple of the status interval since the epoch), every flow with traffic since its last
 * record emits one, closed TCP connections leave the table after a short linger (final record,
 * cause END), and flows idle past their protocol's timeout leave it too (cause TIMEOUT). A full
 * table evicts its least recently used flow with a final record; nothing is dropped silently.
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
  private final LinkedHashMap<FlowKey, Flow> flows;
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
    this.flows = new LinkedHashMap<>(1024, 0.75f, true);
  }

  public void add(DecodedPacket packet, long timeMicros, long wireLength) {
    advanceTo(timeMicros);
    fragments.join(packet, timeMicros);
    FlowKey key = FlowKey.of(packet);
    Flow flow = flows.get(key);
    if (flow == null) {
      if (flows.size() >= config.maxFlows()) {
        evictLeastRecentlyUsed();
      }
      flow = new Flow(key, packet);
      flows.put(key, flow);
    }
    flow.add(packet, key.packetFromLow(), timeMicros, wireLength);
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
    for (Flow flow : flows.values()) {
      if (flow.hasPending()) {
        emit(flow, FlowCause.END);
      }
    }
    flows.clear();
  }

  public int activeFlows() {
    return flows.size();
  }

  public long evictedFlows() {
    return evicted;
  }

  private void closeSlot(long now) {
    fragments.expire(now);
    Iterator<Map.Entry<FlowKey, Flow>> entries = flows.entrySet().iterator();
    while (entries.hasNext()) {
      Flow flow = entries.next().getValue();
      long quiet = now - flow.lastSeen;
      boolean closed = flow.isClosed() && quiet >= CLOSE_LINGER_MICROS;
      boolean idle = quiet >= config.idleTimeoutFor(flow.key.etherType(), flow.key.protocol());
      if (flow.hasPending()) {
        emit(flow, closed ? FlowCause.END : idle ? FlowCause.TIMEOUT : statusCause(flow));
      }
      if (closed || idle) {
        entries.remove();
      }
    }
  }

  private static FlowCause statusCause(Flow flow) {
    return flow.recordsEmitted == 0 ? FlowCause.START : FlowCause.STATUS;
  }

  private void evictLeastRecentlyUsed() {
    Iterator<Flow> eldest = flows.values().iterator();
    Flow flow = eldest.next();
    if (flow.hasPending()) {
      emit(flow, FlowCause.EVICTED);
    }
    eldest.remove();
    evicted++;
  }

  private void emit(Flow flow, FlowCause cause) {
    listener.onRecord(flow.drain(cause, identity, sequence.next()), flow.key.conversationHash());
  }
}

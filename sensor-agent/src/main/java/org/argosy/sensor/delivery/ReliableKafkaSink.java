package org.argosy.sensor.delivery;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.sensor.publish.FlowRecordSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers flow records to Kafka without losing any while Kafka is slow or away. Records go to a
 * bounded in-memory queue; a sender thread produces them in order and retries failed sends until
 * they succeed. When the queue is full, records go to a {@link DiskSpool} instead, and keep going
 * there until the spool has been replayed, so the order is always memory, then spool, then new
 * records. Only a full spool loses records, each of them counted and logged. The capture thread
 * never waits for Kafka: {@code Producer.send} may block while the broker is away, and only the
 * sender thread calls it.
 */
public final class ReliableKafkaSink implements FlowRecordSink {

  private static final Logger LOG = LoggerFactory.getLogger(ReliableKafkaSink.class);
  private static final int BATCH_RECORDS = 2_000;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final List<Header> headers;
  private final DiskSpool spool;
  private final int memoryCapacity;
  private final Duration drainTimeout;
  private final DeliveryCounters counters = new DeliveryCounters();
  private final AvroSingleObjectCodec<FlowRecord> codec =
      AvroSingleObjectCodec.forClass(FlowRecord.class);
  private final DroppedRecordLog droppedLog = new DroppedRecordLog();

  private final Object lock = new Object();
  private final ArrayDeque<Pending> memory = new ArrayDeque<>();

  /** True from the first record that went to the spool until the spool is empty again. */
  private boolean spooling;

  /** Records the sender has taken and not yet finished with. */
  private int inFlight;

  private boolean closing;

  /**
   * The last {@link #flush} waited a whole drain timeout in vain: {@link #close} does not again.
   */
  private boolean drainExpired;

  private final AtomicBoolean abandon = new AtomicBoolean();
  private final Thread sender;

  /**
   * @param headers added to every produced record (site, sensor, schema fingerprint)
   * @param drainTimeout how long {@link #flush} and {@link #close} wait for Kafka before the
   *     records still in memory go to the spool
   */
  public ReliableKafkaSink(
      Producer<byte[], byte[]> producer,
      String topic,
      List<Header> headers,
      DiskSpool spool,
      int memoryCapacity,
      Duration drainTimeout) {
    if (memoryCapacity < 1) {
      throw new IllegalArgumentException("memory capacity must be positive");
    }
    this.producer = producer;
    this.topic = topic;
    this.headers = List.copyOf(headers);
    this.spool = spool;
    this.memoryCapacity = memoryCapacity;
    this.drainTimeout = drainTimeout;
    // What an earlier run spooled comes before anything of this run.
    this.spooling = !spool.isEmpty();
    counters.spoolBytes = spool::bytes;
    counters.queued = this::queued;
    this.sender = new Thread(this::sendLoop, "flow-record-sender");
    sender.setDaemon(true);
    sender.start();
  }

  public DeliveryCounters counters() {
    return counters;
  }

  /**
   * A record on its way: from the memory queue with the {@link System#nanoTime()} it was accepted
   * at, or from the spool ({@link #FROM_SPOOL}).
   */
  private record Pending(SpoolRecord record, long acceptedNanos) {}

  private static final long FROM_SPOOL = Long.MIN_VALUE;

  private long queued() {
    synchronized (lock) {
      return memory.size() + inFlight;
    }
  }

  @Override
  public void send(FlowRecord record, long conversationHash) {
    long acceptedNanos = System.nanoTime();
    SpoolRecord item =
        new SpoolRecord(
            Math.floorDiv(record.getStime(), 1000L),
            ByteBuffer.allocate(Long.BYTES).putLong(conversationHash).array(),
            codec.encode(record));
    counters.accepted.incrementAndGet();
    synchronized (lock) {
      if (closing) {
        throw new IllegalStateException("sink is closed");
      }
      if (!spooling && memory.size() < memoryCapacity) {
        memory.addLast(new Pending(item, acceptedNanos));
      } else {
        spooling = true;
        if (spool.append(item)) {
          counters.spooled.incrementAndGet();
        } else {
          counters.dropped.incrementAndGet();
          droppedLog.dropped(record.getSeq());
        }
      }
      lock.notifyAll();
    }
  }

  /** Waits until every accepted record is in Kafka or in the spool, at most the drain timeout. */
  @Override
  public void flush() {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    synchronized (lock) {
      while ((!memory.isEmpty() || inFlight > 0) && System.nanoTime() < deadline) {
        waitOnLock(deadline);
      }
      drainExpired = !memory.isEmpty() || inFlight > 0;
      if (drainExpired) {
        LOG.warn(
            "Kafka did not take {} records within {}; they stay queued",
            memory.size() + inFlight,
            drainTimeout);
      }
    }
    droppedLog.report();
  }

  /**
   * Sends what it can within the drain timeout (no further wait when a flush just spent one in
   * vain), then spools what is left in memory (ahead of what was spooled before), and closes the
   * producer and the spool.
   */
  @Override
  public void close() {
    long wait;
    synchronized (lock) {
      if (closing) {
        return;
      }
      closing = true;
      wait = drainExpired ? 1 : drainTimeout.toMillis();
      lock.notifyAll();
    }
    try {
      sender.join(wait);
      if (sender.isAlive()) {
        abandon.set(true);
        producer.close(Duration.ZERO); // fails what is in flight, so the sender stops waiting
        sender.join();
      } else {
        producer.close(drainTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    spool.close();
    droppedLog.report();
    LOG.info(
        "flow record delivery closed: {}; {} bytes left in the spool", counters, spool.bytes());
  }

  private void sendLoop() {
    while (true) {
      List<Pending> batch;
      DiskSpool.Segment segment = null;
      synchronized (lock) {
        while (memory.isEmpty() && !spooling && !closing) {
          waitOnLock(Long.MAX_VALUE);
        }
        if (!memory.isEmpty()) {
          batch = new ArrayList<>(Math.min(BATCH_RECORDS, memory.size()));
          while (!memory.isEmpty() && batch.size() < BATCH_RECORDS) {
            batch.add(memory.pollFirst());
          }
        } else if (spooling && !abandon.get()) {
          segment = spool.oldest();
          if (segment == null) {
            spooling = false;
            continue;
          }
          batch = segment.records().stream().map(r -> new Pending(r, FROM_SPOOL)).toList();
        } else {
          return; // closing, and nothing left that can be sent
        }
        inFlight = batch.size();
      }
      List<Pending> unsent = deliver(batch);
      synchronized (lock) {
        if (!unsent.isEmpty()) {
          // Abandoned while closing: keep the order (this batch, then memory) ahead of the spool.
          List<SpoolRecord> keep = new ArrayList<>();
          unsent.forEach(pending -> keep.add(pending.record()));
          memory.forEach(pending -> keep.add(pending.record()));
          memory.clear();
          spool.prepend(keep);
          counters.spooled.addAndGet(keep.size());
        }
        if (segment != null) {
          spool.release(segment);
        }
        inFlight = 0;
        lock.notifyAll();
        if (!unsent.isEmpty()) {
          return;
        }
      }
    }
  }

  /**
   * Produces the batch, retrying the failed records (in their order) until all are acknowledged.
   *
   * @return the records still unsent when the sink was abandoned; empty otherwise
   */
  private List<Pending> deliver(List<Pending> batch) {
    List<Pending> pending = batch;
    Duration backoff = FIRST_BACKOFF;
    while (!pending.isEmpty()) {
      if (abandon.get()) {
        return pending;
      }
      List<Future<RecordMetadata>> results = new ArrayList<>(pending.size());
      for (Pending item : pending) {
        SpoolRecord record = item.record();
        try {
          results.add(
              producer.send(
                  new ProducerRecord<>(
                      topic, null, record.timestamp(), record.key(), record.value(), headers),
                  (metadata, failure) -> {
                    if (failure == null && item.acceptedNanos() != FROM_SPOOL) {
                      counters.latency.recordSince(item.acceptedNanos());
                    }
                  }));
        } catch (RuntimeException e) {
          // send() gave up waiting for metadata (broker away) or the producer was closed
          results.add(CompletableFuture.failedFuture(e));
        }
      }
      try {
        producer.flush();
      } catch (RuntimeException e) {
        LOG.debug("flush failed", e);
      }
      List<Pending> retry = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        if (acknowledged(results.get(i))) {
          counters.sent.incrementAndGet();
        } else {
          retry.add(pending.get(i));
        }
      }
      if (!retry.isEmpty()) {
        counters.sendFailures.addAndGet(retry.size());
        LOG.warn(
            "{} of {} records not accepted by Kafka; retrying in {}",
            retry.size(),
            pending.size(),
            backoff);
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
      pending = retry;
    }
    return List.of();
  }

  /** A result not done after flush (an interrupted flush) counts as failed: sent again. */
  private static boolean acknowledged(Future<RecordMetadata> result) {
    if (!result.isDone()) {
      return false;
    }
    try {
      result.get();
      return true;
    } catch (ExecutionException | CancellationException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void waitOnLock(long deadlineNanos) {
    try {
      long millis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
      lock.wait(deadlineNanos == Long.MAX_VALUE ? 0 : millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sleep(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (!abandon.get() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(Math.min(100, duration.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

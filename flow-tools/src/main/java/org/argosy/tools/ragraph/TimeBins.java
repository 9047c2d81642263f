package org.argosy.tools.ragraph;

import java.util.LinkedHashMap;
import java.util.Map;
import org.argosy.avro.FlowRecord;

/**
 * Sums a metric of flow records per key and per time bin aligned to the epoch, splitting a record
 * that spans several bins in proportion to its time in each (as Argus's rabins does); a record with
 * no duration falls wholly into the bin of its start.
 */
final class TimeBins {

  /** What is summed per record: bytes or packets. */
  enum Quantity {
    BYTES,
    PKTS;

    long of(FlowRecord record) {
      return this == BYTES
          ? record.getSbytes() + record.getDbytes()
          : record.getSpkts() + record.getDpkts();
    }
  }

  private final long binMicros;
  private final Quantity quantity;
  private final Map<String, Map<Long, Double>> sums = new LinkedHashMap<>();
  private long firstBin = Long.MAX_VALUE;
  private long lastBin = Long.MIN_VALUE;

  TimeBins(long binMicros, Quantity quantity) {
    if (binMicros < 1_000_000) {
      throw new IllegalArgumentException("bins must be at least 1 s");
    }
    this.binMicros = binMicros;
    this.quantity = quantity;
  }

  void add(String key, FlowRecord record) {
    long amount = quantity.of(record);
    long start = record.getStime();
    long end = Math.max(start, record.getLtime());
    long first = Math.floorDiv(start, binMicros);
    long last = Math.floorDiv(end, binMicros);
    Map<Long, Double> perBin = sums.computeIfAbsent(key, k -> new LinkedHashMap<>());
    if (first == last) {
      perBin.merge(first, (double) amount, Double::sum);
    } else {
      double span = end - start;
      for (long bin = first; bin <= last; bin++) {
        long overlap = Math.min(end, (bin + 1) * binMicros) - Math.max(start, bin * binMicros);
        perBin.merge(bin, amount * overlap / span, Double::sum);
      }
    }
    firstBin = Math.min(firstBin, first);
    lastBin = Math.max(lastBin, last);
  }

  boolean isEmpty() {
    return sums.isEmpty();
  }

  long firstBinStartMicros() {
    return firstBin * binMicros;
  }

  int binCount() {
    return isEmpty() ? 0 : (int) (lastBin - firstBin + 1);
  }

  long binMicros() {
    return binMicros;
  }

  /** Per key, the sum of every bin divided by the bin length: a rate per second. */
  Map<String, double[]> ratesPerSecond() {
    Map<String, double[]> rates = new LinkedHashMap<>();
    double seconds = binMicros / 1e6;
    sums.forEach(
        (key, perBin) -> {
          double[] values = new double[binCount()];
          perBin.forEach((bin, sum) -> values[(int) (bin - firstBin)] = sum / seconds);
          rates.put(key, values);
        });
    return rates;
  }
}

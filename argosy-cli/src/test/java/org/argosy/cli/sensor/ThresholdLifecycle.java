package org.argosy.cli.sensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.argosy.avro.AlertStatus;
import org.argosy.avro.FlowAlert;

/**
 * The alerts a threshold rule with cooldown 0 must raise, worked out here from each key's value per
 * window: every run of consecutive windows above the threshold is one alert, OPEN in the run's
 * first window, UPDATE in each later one, and RESOLVED (carrying the last window's values) once the
 * window after the run is over. Alerts are text lines, so that a difference reads as one.
 */
final class ThresholdLifecycle {

  private ThresholdLifecycle() {}

  /**
   * @param valuesByKey per key, its value in each window (by window start) that had records
   */
  static List<String> expected(
      Map<String, SortedMap<Long, Long>> valuesByKey, long windowMicros, double above) {
    List<String> alerts = new ArrayList<>();
    valuesByKey.forEach(
        (key, values) -> {
          long previousAbove = Long.MIN_VALUE;
          long lastValue = 0;
          for (Map.Entry<Long, Long> window : values.entrySet()) {
            if (window.getValue() <= above) {
              continue;
            }
            boolean continues = window.getKey() == previousAbove + windowMicros;
            if (!continues && previousAbove != Long.MIN_VALUE) {
              alerts.add(line(AlertStatus.RESOLVED, previousAbove, key, lastValue));
            }
            alerts.add(
                line(
                    continues ? AlertStatus.UPDATE : AlertStatus.OPEN,
                    window.getKey(),
                    key,
                    window.getValue()));
            previousAbove = window.getKey();
            lastValue = window.getValue();
          }
          if (previousAbove != Long.MIN_VALUE) {
            alerts.add(line(AlertStatus.RESOLVED, previousAbove, key, lastValue));
          }
        });
    return alerts.stream().sorted().toList();
  }

  /** The job's alerts as lines of the same form, sorted. */
  static List<String> lines(List<FlowAlert> alerts) {
    return alerts.stream()
        .map(
            a ->
                line(
                    a.getStatus(),
                    a.getWindowStart(),
                    String.join(
                        " ",
                        a.getKey().stream().map(f -> f.getName() + "=" + f.getValue()).toList()),
                    (long) a.getObserved()))
        .sorted()
        .toList();
  }

  private static String line(AlertStatus status, long windowStart, String key, long observed) {
    return windowStart + " " + key + " " + status + " observed " + observed;
  }
}

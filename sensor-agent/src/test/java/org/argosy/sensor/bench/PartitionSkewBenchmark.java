package org.argosy.sensor.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kafka.common.utils.Utils;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.ProjectPaths;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.publish.FlowRecordSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How evenly the record key (the 8-byte conversation hash) spreads a sensor's records over a
 * topic's partitions under Kafka's default partitioner (murmur2 of the key): the fullest partition
 * against the mean, by records and by bytes. Runs only with {@code mvn -Pbench}.
 */
class PartitionSkewBenchmark {

  private static final int[] PARTITIONS = {6, 12, 48};

  @TempDir Path dir;

  @Test
  void skewOfTheConversationKey() throws Exception {
    Path root = ProjectPaths.root();
    report("demo.pcap (227 conversations)", root.resolve("samples/demo.pcap"));
    Path shortFlows = dir.resolve("short.pcap");
    SyntheticCapture.shortFlows(shortFlows, 200_000);
    report("200K short flows", shortFlows);
  }

  private static void report(String name, Path capture) throws Exception {
    long[][] records = new long[PARTITIONS.length][];
    long[][] bytes = new long[PARTITIONS.length][];
    for (int i = 0; i < PARTITIONS.length; i++) {
      records[i] = new long[PARTITIONS[i]];
      bytes[i] = new long[PARTITIONS[i]];
    }
    FlowRecordSink sink =
        new FlowRecordSink() {
          @Override
          public void send(FlowRecord record, long conversationHash) {
            byte[] key = ByteBuffer.allocate(Long.BYTES).putLong(conversationHash).array();
            int hash = Utils.toPositive(Utils.murmur2(key));
            for (int i = 0; i < PARTITIONS.length; i++) {
              int partition = hash % PARTITIONS[i];
              records[i][partition]++;
              bytes[i][partition] += record.getSbytes() + record.getDbytes();
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Sensor sensor =
        new Sensor(FlowTableConfig.withStatusInterval(5), new SensorIdentity("b", "b", "b"), sink);
    sensor.readFile(capture);
    sensor.finish();
    for (int i = 0; i < PARTITIONS.length; i++) {
      System.out.printf(
          Locale.ROOT,
          "BENCHMARK partition-skew %s, %d partitions: fullest/mean %.2f by records, %.2f by"
              + " bytes%n",
          name,
          PARTITIONS[i],
          maxOverMean(records[i]),
          maxOverMean(bytes[i]));
    }
  }

  private static double maxOverMean(long[] counts) {
    long max = 0;
    long sum = 0;
    for (long count : counts) {
      max = Math.max(max, count);
      sum += count;
    }
    return sum == 0 ? 0 : max / (sum / (double) counts.length);
  }
}

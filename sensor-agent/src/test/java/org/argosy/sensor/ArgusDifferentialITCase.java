package org.argosy.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.argosy.avro.FlowRecord;
import org.argosy.query.IpAddresses;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sensor against Argus itself on the bundled capture: for every TCP and UDP conversation, the
 * same initiator and the same packets and bytes per side as {@code argus -r} then {@code racluster}
 * (status records merged per flow). .ci/run installs argus; without it the test is skipped with a
 * message.
 */
class ArgusDifferentialITCase {

  /** Per-side totals of one conversation, keyed as "proto saddr sport daddr dport". */
  private record SideTotals(long spkts, long dpkts, long sbytes, long dbytes) {
    SideTotals plus(SideTotals o) {
      return new SideTotals(spkts + o.spkts, dpkts + o.dpkts, sbytes + o.sbytes, dbytes + o.dbytes);
    }
  }

  @Test
  void everyTcpAndUdpFlowMatchesArgus(@TempDir Path work) throws Exception {
    Assumptions.assumeTrue(Argus.installed(), "argus is not installed");
    Path capture = ProjectPaths.root().resolve("samples/demo.pcap");

    Map<String, SideTotals> argus = argusFlows(capture, work);

    RecordingSink sink = new RecordingSink();
    Sensor sensor =
        new Sensor(
            FlowTableConfig.withStatusInterval(5), new SensorIdentity("t", "t", "demo"), sink);
    sensor.readFile(capture);
    sensor.finish();
    Map<String, SideTotals> ours = new HashMap<>();
    for (FlowRecord r : sink.records) {
      if (r.getProto() != null && (r.getProto() == 6 || r.getProto() == 17)) {
        ours.merge(
            key(
                r.getProto() == 6 ? "tcp" : "udp",
                IpAddresses.format(r.getSaddr()),
                r.getSport(),
                IpAddresses.format(r.getDaddr()),
                r.getDport()),
            new SideTotals(r.getSpkts(), r.getDpkts(), r.getSbytes(), r.getDbytes()),
            SideTotals::plus);
      }
    }

    assertThat(argus).hasSizeGreaterThan(200);
    assertThat(ours).containsExactlyInAnyOrderEntriesOf(argus);
  }

  private static Map<String, SideTotals> argusFlows(Path capture, Path work) throws Exception {
    Map<String, SideTotals> flows = new HashMap<>();
    for (String[] f :
        Argus.flows(
            capture, work, "proto", "saddr", "sport", "daddr", "dport", "spkts", "dpkts", "sbytes",
            "dbytes")) {
      if (f[0].equals("tcp") || f[0].equals("udp")) {
        flows.put(
            key(f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4])),
            new SideTotals(
                Long.parseLong(f[5]),
                Long.parseLong(f[6]),
                Long.parseLong(f[7]),
                Long.parseLong(f[8])));
      }
    }
    return flows;
  }

  private static String key(String proto, String saddr, int sport, String daddr, int dport) {
    return proto + " " + saddr + " " + sport + " " + daddr + " " + dport;
  }
}

package org.argosy.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's checkpoints as the Flink REST API (the web UI's) reports them. It keeps only a short
 * history of recent checkpoints, so {@link #poll} is called often enough to see each completed one
 * and collects their durations by id.
 */
final class FlinkCheckpoints {

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final URI checkpoints;
  private final Map<Long, Long> completedMillisById = new TreeMap<>();
  private final Map<Long, Failure> failedById = new TreeMap<>();

  /** A checkpoint that failed: when it was triggered (epoch ms) and Flink's reason. */
  record Failure(long triggeredAtMillis, String message) {}

  FlinkCheckpoints(int restPort, String jobId) {
    this.checkpoints =
        URI.create("http://127.0.0.1:" + restPort + "/jobs/" + jobId + "/checkpoints");
  }

  /** Reads the job's checkpoint statistics and remembers the completed ones it has not seen. */
  void poll() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(checkpoints).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(checkpoints + ": HTTP " + response.statusCode());
    }
    JsonNode statistics = json.readTree(response.body());
    for (JsonNode checkpoint : statistics.path("history")) {
      long id = checkpoint.path("id").asLong();
      switch (checkpoint.path("status").asText()) {
        case "COMPLETED" ->
            completedMillisById.put(id, checkpoint.path("end_to_end_duration").asLong());
        case "FAILED" ->
            failedById.put(
                id,
                new Failure(
                    checkpoint.path("trigger_timestamp").asLong(),
                    checkpoint.path("failure_message").asText()));
        default -> {
          // in progress: seen at a later poll
        }
      }
    }
  }

  /** End-to-end durations of the completed checkpoints seen, by checkpoint id. */
  Map<Long, Long> completedMillisById() {
    return completedMillisById;
  }

  /** The failed checkpoints seen, by checkpoint id. */
  Map<Long, Failure> failedById() {
    return failedById;
  }
}

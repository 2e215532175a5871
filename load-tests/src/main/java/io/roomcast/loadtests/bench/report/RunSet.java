package io.roomcast.loadtests.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.loadtests.bench.Results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The results of one bench run: every JSON file of a directory, found by mode, server and room size. */
final class RunSet {

  static final List<String> SERVERS = List.of("roomcast", "ws", "socketio");

  private final List<JsonNode> results = new ArrayList<>();

  RunSet(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no results directory " + dir);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        results.add(Results.JSON.readTree(file.toFile()));
      }
    }
  }

  List<JsonNode> all() {
    return results;
  }

  /** @return the result of a mode for a server; for fan-out modes, of the room size asked (0: any) */
  Optional<JsonNode> find(String mode, String server, int members) {
    return results.stream()
      .filter(r -> r.path("mode").asText().equals(mode) && r.path("server").asText().equals(server))
      .filter(r -> members == 0 || members(r) == members)
      .findFirst();
  }

  /** @return the room sizes of the fan-out results, in increasing order */
  List<Integer> fanoutSizes() {
    return results.stream().filter(r -> r.path("mode").asText().equals("fanout")).map(RunSet::members)
      .distinct().sorted().toList();
  }

  static int members(JsonNode r) {
    return r.path("flags").path("members").asInt(100);
  }

  static String label(String server) {
    return switch (server) {
      case "roomcast" -> "Roomcast";
      case "ws" -> "Node ws";
      case "socketio" -> "Socket.IO";
      default -> server;
    };
  }
}

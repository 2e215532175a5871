package io.roomcast.gateway.node;

import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.NodeProcess;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runnable node: its flags, configuration, endpoints and signals, from the built jar. */
@ExtendWith(VertxExtension.class)
class NodeStartIT {

  private static final Duration EXIT = Duration.ofSeconds(30);

  private static String get(Vertx vertx, int port, String path, int expectedStatus) {
    HttpClient client = vertx.createHttpClient();
    try {
      // The body is asked for on the event loop, before the response can end.
      HttpClientResponse[] response = new HttpClientResponse[1];
      Buffer body = Await.result(client.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(HttpClientRequest::send)
        .compose(r -> {
          response[0] = r;
          return r.body();
        }));
      assertEquals(expectedStatus, response[0].statusCode(), path + ": " + body);
      return body.toString();
    } finally {
      client.close();
    }
  }

  @Test
  void aNodeServesTheHubEchoPageAndHealthOnItsPorts(Vertx vertx) {
    try (NodeProcess node = NodeProcess.start()) {
      assertTrue(node.nodeId().matches("[a-z0-9]{10}"), node.nodeId());
      assertTrue(get(vertx, node.port(), "/", 200).contains("Roomcast"));
      assertTrue(get(vertx, node.managementPort(), "/health/live", 200).contains("UP"));
      assertTrue(get(vertx, node.managementPort(), "/health/ready", 200).contains("UP"));
      get(vertx, node.port(), "/health/live", 404);
      try (TestClient hub = TestClient.connect(vertx, node.port(), "/ws")) {
        assertEquals(node.nodeId(), hub.node());
      }
      try (TestClient echo = TestClient.open(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI("/ws/echo"))) {
        echo.sendText("{\"not\":\"an envelope\"}");
        assertEquals("an envelope", echo.take(m -> true).raw().toJsonObject().getString("not"));
      }
    }
  }

  @Test
  void aNodeWarmsUpOnAGatewayOfItsOwnBeforeItServes(Vertx vertx) {
    // The flag wins over the suite's ROOMCAST_WARMUP_CONNECTIONS=0.
    try (NodeProcess node = NodeProcess.start("--warmup-connections", "100")) {
      String log = node.logText();
      // Eight rooms of 12: 100 publishes each (as many as the clients asked) to 11 other members.
      assertTrue(log.contains("warm-up: 8800 deliveries in rooms of 12, 100 clients connected and closed (one in 4 joined and published first)"), log);
      assertFalse(log.contains("WARN"), log);
      try (TestClient hub = TestClient.connect(vertx, node.port(), "/ws")) {
        // None of the warm-up's clients or rooms is on the node itself.
        assertEquals(node.nodeId(), hub.node());
        assertEquals(1, get(vertx, node.managementPort(), "/metrics", 200).lines()
          .filter(l -> l.startsWith("roomcast_connections{") || l.startsWith("roomcast_connections "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum(), 0.0);
      }
    }
  }

  @Test
  void onceItServesTheNodesJitCompilersYieldTheCpu() throws IOException {
    // The flag wins over the suite's ROOMCAST_JIT_NICE=0.
    try (NodeProcess node = NodeProcess.start("--jit-nice", "19")) {
      assertTrue(node.logText().contains("JIT compiler threads at nice 19: they compile mostly in idle CPU time from now on"), node.logText());
      Map<String, Integer> nices = threadNices(node.pid());
      List<Integer> compilers = nices.entrySet().stream().filter(e -> e.getKey().matches("C[12] CompilerThre")).map(Map.Entry::getValue).toList();
      assertFalse(compilers.isEmpty(), "no compiler threads among " + nices.keySet());
      assertEquals(List.of(19), compilers.stream().distinct().toList(), "compiler threads' nice values: " + nices);
      assertEquals(List.of(0), nices.entrySet().stream().filter(e -> e.getKey().startsWith("vert.x-eventloo"))
        .map(Map.Entry::getValue).distinct().toList(), "event loops' nice values: " + nices);
    }
    try (NodeProcess node = NodeProcess.start()) {
      assertFalse(node.logText().contains("JIT compiler threads"), node.logText());
      assertEquals(List.of(0), threadNices(node.pid()).entrySet().stream().filter(e -> e.getKey().matches("C[12] CompilerThre"))
        .map(Map.Entry::getValue).distinct().toList(), "with --jit-nice 0 (the suite's) the compilers keep their priority");
    }
  }

  @Test
  void withoutReniceTheNodeSaysSoAndServesWithItsJitAsItWas(Vertx vertx) throws IOException {
    // A PATH with no renice on it (the node's java is started by its full path).
    NodeProcess node = NodeProcess.launch(List.of("--port", "0", "--management-port", "0", "--host", "127.0.0.1", "--jit-nice", "19"),
      Map.of("PATH", "/nonexistent"));
    try (node) {
      node.awaitReady(Duration.ofSeconds(60));
      assertTrue(node.logText().contains("JIT compiler threads keep their priority: renice could not run"), node.logText());
      assertEquals(List.of(0), threadNices(node.pid()).entrySet().stream().filter(e -> e.getKey().matches("C[12] CompilerThre"))
        .map(Map.Entry::getValue).distinct().toList());
      try (TestClient hub = TestClient.connect(vertx, node.port(), "/ws")) {
        assertEquals(node.nodeId(), hub.node());
      }
    }
  }

  /** @return each thread's name (as the kernel keeps it, 15 characters) and nice value, the last of a name */
  private static Map<String, Integer> threadNices(long pid) throws IOException {
    Map<String, Integer> nices = new java.util.HashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        String stat = Files.readString(task.resolve("stat"));
        // pid (comm) state ...: the fields after the name's closing parenthesis; nice is field 19.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        nices.put(name, Integer.parseInt(fields[16]));
      }
    }
    return nices;
  }

  @Test
  void sigtermClosesClientsWith1001AndExitsZero(Vertx vertx) {
    NodeProcess node = NodeProcess.start();
    try (TestClient client = TestClient.connect(vertx, node.port(), "/ws")) {
      node.signal("TERM");
      assertEquals(1001, client.awaitClose());
      assertEquals(0, node.awaitExit(EXIT));
    } finally {
      node.close();
    }
  }

  @Test
  void anUnknownFlagStopsTheStartWithExitTwo() {
    assertRefused(List.of("--prot", "8080"), Map.of(), "unknown argument \"--prot\"");
    assertRefused(List.of("--port"), Map.of(), "--port needs a value");
    assertRefused(List.of("--port", "eighty"), Map.of(), "--port must be an integer");
    assertRefused(List.of("--port", "70000"), Map.of(), "port must be 0 to 65535");
  }

  @Test
  void aBadConfigurationFileStopsTheStartNamingTheProblem(@TempDir Path dir) throws IOException {
    Path typo = Files.writeString(dir.resolve("typo.json"), "{\"hubs\":[{\"name\":\"default\",\"maxMesageSize\":1000}]}");
    assertRefused(List.of("--conf", typo.toString()), Map.of(), "hubs[0].maxMesageSize");
    Path wrongType = Files.writeString(dir.resolve("type.json"), "{\"port\":\"8080\"}");
    assertRefused(List.of("--conf", wrongType.toString()), Map.of(), "\"port\" must be an integer");
    Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"hubs\": [");
    assertRefused(List.of("--conf", notJson.toString()), Map.of(), "not a JSON object");
    assertRefused(List.of("--conf", dir.resolve("missing.json").toString()), Map.of(), "no such file");
    Path duplicate = Files.writeString(dir.resolve("dup.json"), "{\"hubs\":[{\"name\":\"a\",\"path\":\"/x\"},{\"name\":\"a\",\"path\":\"/y\"}]}");
    assertRefused(List.of("--conf", duplicate.toString()), Map.of(), "two hubs are named \"a\"");
  }

  @Test
  void aBadEnvironmentVariableStopsTheStart() {
    assertRefused(List.of(), Map.of("ROOMCAST_PORT", "x"), "ROOMCAST_PORT must be an integer");
    assertRefused(List.of(), Map.of("ROOMCAST_CLUSTER", "yes"), "ROOMCAST_CLUSTER must be true or false");
  }

  @Test
  void flagsOverrideTheEnvironmentWhichOverridesTheFile(Vertx vertx, @TempDir Path dir) throws IOException {
    Path conf = Files.writeString(dir.resolve("conf.json"),
      "{\"port\":1,\"hubs\":[{\"name\":\"default\",\"path\":\"/ws\"},{\"name\":\"chat\",\"path\":\"/chat\"}]}");
    // The file's port 1 would fail to bind; the environment's would too; the flag wins.
    try (NodeProcess node = NodeProcess.launch(List.of("--conf", conf.toString(), "--port", "0", "--management-port", "0", "--host", "127.0.0.1"),
      Map.of("ROOMCAST_PORT", "2"))) {
      node.awaitReady(Duration.ofSeconds(60));
      try (TestClient a = TestClient.connect(vertx, node.port(), "/ws"); TestClient b = TestClient.connect(vertx, node.port(), "/chat")) {
        assertEquals(node.nodeId(), a.node());
        assertEquals(node.nodeId(), b.node());
      }
    }
  }

  @Test
  void aPortInUseStopsTheStartWithExitOne() {
    try (NodeProcess first = NodeProcess.start()) {
      try (NodeProcess second = NodeProcess.launch(List.of("--port", Integer.toString(first.port()), "--management-port", "0", "--host", "127.0.0.1"), Map.of())) {
        assertEquals(1, second.awaitExit(EXIT));
        assertTrue(second.logText().contains("could not start"), second.logText());
      }
    }
  }

  private static void assertRefused(List<String> args, Map<String, String> env, String expectedMessage) {
    try (NodeProcess node = NodeProcess.launch(args, env)) {
      assertEquals(2, node.awaitExit(EXIT), "exit code for " + args + " " + env);
      assertTrue(node.logText().contains(expectedMessage), "expected \"" + expectedMessage + "\" in: " + node.logText());
      assertTrue(node.stdout().isEmpty(), "printed " + node.stdout());
    }
  }
}

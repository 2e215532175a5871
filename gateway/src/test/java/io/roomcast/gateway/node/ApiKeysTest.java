package io.roomcast.gateway.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.roomcast.gateway.testing.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scoped API keys on a node's management API, beside its management token: each key is allowed
 * what its scopes name and answered 403 for the rest, a wrong or missing key 401, the token
 * everything, the health endpoints need nothing; bad keys are refused in the configuration, and
 * no key is ever printed.
 */
class ApiKeysTest {

  private static final String TOKEN = "management-token-0123456789";
  private static final String READER = "reader-key-0123456789abcdef";
  private static final String PUBLISHER = "publisher-key-0123456789abcd";
  private static final String OPS = "ops-key-0123456789abcdefghij";
  private static final String SCRAPER = "scraper-key-0123456789abcdef";

  private static InProcessNode node;
  /** Everything the node logs while this class runs. */
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

  @BeforeAll
  static void startNode() {
    LOG.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
    node = InProcessNode.start(InProcessNode.options().setManagementToken(TOKEN).setApiKeys(List.of(
      new ApiKeyOptions("reader", READER, List.of("read")),
      new ApiKeyOptions("publisher", PUBLISHER, List.of("publish", "send")),
      new ApiKeyOptions("ops", OPS, List.of("admin")),
      new ApiKeyOptions("scraper", SCRAPER, List.of("metrics")))));
  }

  @AfterAll
  static void stopNode() {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
    if (node != null) {
      node.close();
    }
  }

  @Test
  void noKeyEverReachesTheLog() {
    status("GET", "/admin/rooms", READER);
    status("POST", "/admin/clients/nobody.0.1/kick", READER);
    status("GET", "/admin/rooms", READER + "-wrong");
    status("GET", "/metrics", OPS);
    List<String> lines;
    synchronized (LOG) {
      lines = LOG.list.stream().map(e -> e.getFormattedMessage() + " " + e.getThrowableProxy()).toList();
    }
    assertTrue(lines.size() >= 3, "the node logged its start: " + lines);
    for (String line : lines) {
      for (String key : List.of(TOKEN, READER, PUBLISHER, OPS, SCRAPER)) {
        assertFalse(line.contains(key), "a key in the log: " + line);
      }
    }
  }

  private static int status(String method, String path, String key) {
    String body = method.equals("POST") && path.endsWith("/publish") ? "{\"event\":\"news\",\"data\":1}"
      : method.equals("POST") && path.endsWith("/send") ? "{\"event\":\"dm\",\"data\":1}" : null;
    return Http.request(method, node.managementPort(), path, body, key).status();
  }

  @Test
  void eachKeyIsAllowedWhatItsScopesNameAndForbiddenTheRest() {
    // What each endpoint answers when allowed: the room is empty and the client unknown, which
    // the API says with 404, past the key's check.
    Map<String, Integer> allowed = Map.of(
      "GET /admin/rooms", 200,
      "GET /admin/stats", 200,
      "POST /admin/rooms/lobby/publish", 404,
      "POST /admin/clients/nobody.0.1/send", 404,
      "POST /admin/clients/nobody.0.1/kick", 404,
      "GET /metrics", 200);
    Map<String, List<String>> mayDo = Map.of(
      READER, List.of("GET /admin/rooms", "GET /admin/stats"),
      PUBLISHER, List.of("POST /admin/rooms/lobby/publish", "POST /admin/clients/nobody.0.1/send"),
      SCRAPER, List.of("GET /metrics"),
      OPS, List.copyOf(allowed.keySet()),
      TOKEN, List.copyOf(allowed.keySet()));
    mayDo.forEach((key, endpoints) -> allowed.forEach((endpoint, answer) -> {
      String[] parts = endpoint.split(" ");
      int status = status(parts[0], parts[1], key);
      if (endpoints.contains(endpoint)) {
        assertEquals(answer, status, endpoint + " with " + key.substring(0, 6));
      } else {
        assertEquals(403, status, endpoint + " with " + key.substring(0, 6));
      }
    }));

    Http.Response forbidden = Http.request("POST", node.managementPort(), "/admin/clients/nobody.0.1/kick", null, PUBLISHER);
    JsonObject error = new JsonObject(forbidden.body());
    assertEquals("forbidden", error.getString("error"));
    assertEquals("the key \"publisher\" has no scope \"kick\"", error.getString("message"));
    assertFalse(forbidden.body().contains(PUBLISHER), "the key is not said back");
  }

  @Test
  void noKeyOrAWrongOneIsUnauthorizedAndHealthNeedsNone() {
    for (String path : List.of("/admin/rooms", "/metrics")) {
      assertEquals(401, status("GET", path, null), path);
      assertEquals(401, status("GET", path, READER + "x"), path);
      assertEquals(401, status("GET", path, READER.substring(1)), path);
    }
    assertEquals(200, status("GET", "/health/ready", null));
    assertEquals(200, status("GET", "/health/live", null));
  }

  @Test
  void badKeysAreRefusedAndKeysAreNeverPrinted() {
    List<Runnable> refusals = List.of(
      () -> new ApiKeyOptions("short", "0123456789", List.of("read")),
      () -> new ApiKeyOptions("spaced", "0123456789 abcdefghij", List.of("read")),
      () -> new ApiKeyOptions("no scopes", READER, List.of()),
      () -> new ApiKeyOptions("nameless?", READER, List.of("read")),
      () -> new ApiKeyOptions("writer", READER, List.of("write")),
      () -> new NodeOptions().setApiKeys(List.of(new ApiKeyOptions("a", READER, List.of("read")),
        new ApiKeyOptions("a", OPS, List.of("read")))),
      () -> new NodeOptions().setApiKeys(List.of(new ApiKeyOptions("a", READER, List.of("read")),
        new ApiKeyOptions("b", READER, List.of("admin")))),
      () -> new NodeOptions().setManagementToken(TOKEN).setApiKeys(List.of(new ApiKeyOptions("a", TOKEN, List.of("read")))).validate());
    for (Runnable refused : refusals) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, refused::run);
      for (String secret : List.of(READER, OPS, TOKEN, "0123456789 abcdefghij")) {
        assertFalse(e.getMessage().contains(secret), "a key in the message: " + e.getMessage());
      }
    }

    JsonObject json = new JsonObject().put("node", new JsonObject().put("apiKeys", new JsonArray()
      .add(new JsonObject().put("name", "reader").put("key", READER).put("scopes", new JsonArray().add("read")))));
    NodeOptions read = new NodeOptions(json);
    assertEquals(List.of("reader"), read.getApiKeys().stream().map(ApiKeyOptions::getName).toList());
    assertEquals(read, new NodeOptions(read.toJson()), "the JSON form reads back");
    String printed = read.toString();
    assertFalse(printed.contains(READER), printed);
    assertTrue(printed.contains("\"name\":\"reader\""), printed);

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new NodeOptions(new JsonObject()
      .put("node", new JsonObject().put("apiKeys", new JsonArray().add(new JsonObject().put("name", "x").put("key", READER)
        .put("scopes", new JsonArray().add("read")).put("role", "admin"))))));
    assertTrue(unknown.getMessage().contains("role"), unknown.getMessage());
  }

  @Test
  void keysComeFromTheEnvironmentAsJsonAndABadValueNamesTheVariableNotTheKeys() {
    String keys = new JsonArray().add(new JsonObject().put("name", "ops").put("key", OPS).put("scopes", new JsonArray().add("admin")))
      .encode();
    NodeConfig config = NodeConfig.load(new String[0], Map.of(NodeConfig.API_KEYS_VARIABLE, keys));
    assertEquals(List.of("ops"), config.options().getApiKeys().stream().map(ApiKeyOptions::getName).toList());

    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
      () -> NodeConfig.load(new String[0], Map.of(NodeConfig.API_KEYS_VARIABLE, "[{\"name\":\"ops\",\"key\":\"" + OPS + "\"")));
    assertTrue(broken.getMessage().startsWith("ROOMCAST_API_KEYS: not a JSON array of keys"), broken.getMessage());
    assertFalse(broken.getMessage().contains(OPS), broken.getMessage());
  }
}

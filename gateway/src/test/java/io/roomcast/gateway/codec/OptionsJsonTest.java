package io.roomcast.gateway.codec;

import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GatewayOptions and HubOptions: JSON round trips, strict reading, validating setters. */
class OptionsJsonTest {

  private static void refused(String expectedInMessage, Executable executable) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
    assertTrue(e.getMessage() != null && e.getMessage().contains(expectedInMessage),
      () -> "message \"" + e.getMessage() + "\" does not contain \"" + expectedInMessage + "\"");
  }

  private static GatewayOptions custom() {
    return new GatewayOptions()
      .setHubs(List.of(
        new HubOptions().setName("default").setPath("/ws").setMaxMessageSize(4096).setPresence(List.of("chat-*", "team")),
        new HubOptions().setName("admin").setPath("/admin/:room")))
      .setPort(9000).setHost("127.0.0.1")
      .setEchoPath("/echo").setEchoMaxMessageSize(16 * 1024 * 1024).setEchoMaxFragments(65536).setRequestTimeout(1500).setServerInstances(3);
  }

  @Test
  void defaultsRoundTrip() {
    GatewayOptions defaults = new GatewayOptions();
    assertEquals(defaults, new GatewayOptions(defaults.toJson()));
    assertEquals(defaults, new GatewayOptions(new JsonObject()));
    assertEquals(new HubOptions(), new HubOptions(new HubOptions().toJson()));
    assertEquals(new HubOptions(), new HubOptions(new JsonObject()));
  }

  @Test
  void everyOptionRoundTripsThroughJson() {
    GatewayOptions options = custom();
    GatewayOptions back = new GatewayOptions(options.toJson());
    assertEquals(options, back);
    assertEquals(options.toJson(), back.toJson());
    assertNotEquals(new GatewayOptions(), back);
    assertEquals(List.of("chat-*", "team"), back.getHubs().get(0).getPresence());
    assertEquals("/admin/:room", back.getHubs().get(1).getPath());
    assertEquals(1500, back.getRequestTimeout());
    assertEquals(16 * 1024 * 1024, back.getEchoMaxMessageSize());
    assertEquals(65536, back.getEchoMaxFragments());
    assertEquals(new GatewayOptions(options), options, "the copy constructor copies everything");
    HubOptions hub = options.getHubs().get(0);
    assertEquals(hub, new HubOptions(hub.toJson()));
  }

  @Test
  void aTurnedOffEchoEndpointRoundTrips() {
    GatewayOptions off = new GatewayOptions().setEchoPath(null);
    GatewayOptions back = new GatewayOptions(off.toJson());
    assertNull(back.getEchoPath());
    assertEquals(off, back);
  }

  @Test
  void anUnknownKeyIsRefusedByName() {
    refused("hubs[0].maxMesageSize", () -> new GatewayOptions(new JsonObject()
      .put("hubs", new JsonArray().add(new JsonObject().put("name", "default").put("maxMesageSize", 10)))));
    refused("hubs[1].pth", () -> new GatewayOptions(new JsonObject().put("hubs", new JsonArray()
      .add(new JsonObject()).add(new JsonObject().put("name", "b").put("pth", "/b")))));
    refused("prot", () -> new GatewayOptions(new JsonObject().put("prot", 80)));
    refused("history[1]", () -> new HubOptions(new JsonObject().put("history", new JsonArray()
      .add(new JsonObject().put("room", "a")).add(new JsonObject().put("rom", "b")))));
    refused("maxMesageSize", () -> new HubOptions(new JsonObject().put("maxMesageSize", 4096)));
  }

  @Test
  void aNodeKeyIsRefusedWithItsPlaceInTheNodesSection() {
    refused("\"managementPort\" has moved: a node reads it from its own section, \"node.managementPort\"",
      () -> new GatewayOptions(new JsonObject().put("managementPort", 8081)));
    refused("\"node.cluster\"", () -> new GatewayOptions(new JsonObject().put("cluster", true)));
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedByName() {
    refused("port", () -> new GatewayOptions(new JsonObject().put("port", "8080")));
    refused("port", () -> new GatewayOptions(new JsonObject().put("port", 80.5)));
    refused("cluster", () -> new GatewayOptions(new JsonObject().put("cluster", "yes")));
    refused("host", () -> new GatewayOptions(new JsonObject().put("host", 127)));
    refused("hubs", () -> new GatewayOptions(new JsonObject().put("hubs", new JsonObject())));
    refused("hubs[0]", () -> new GatewayOptions(new JsonObject().put("hubs", new JsonArray().add("default"))));
    refused("hubs[0].maxMessageSize", () -> new GatewayOptions(new JsonObject()
      .put("hubs", new JsonArray().add(new JsonObject().put("maxMessageSize", "big")))));
    refused("hubs[0].presence", () -> new GatewayOptions(new JsonObject()
      .put("hubs", new JsonArray().add(new JsonObject().put("presence", new JsonArray().add(1))))));
    refused("presence", () -> new HubOptions(new JsonObject().put("presence", "chat-*")));
    refused("requestTimeout", () -> new GatewayOptions(new JsonObject().put("requestTimeout", true)));
  }

  @Test
  void aValueOutOfItsRangeIsRefusedByName() {
    refused("port", () -> new GatewayOptions(new JsonObject().put("port", 70000)));
    refused("port", () -> new GatewayOptions(new JsonObject().put("port", 1L << 40)));
    refused("serverInstances", () -> new GatewayOptions(new JsonObject().put("serverInstances", 0)));
    refused("echoMaxMessageSize", () -> new GatewayOptions(new JsonObject().put("echoMaxMessageSize", 100)));
    refused("echoMaxFragments", () -> new GatewayOptions(new JsonObject().put("echoMaxFragments", 0)));
    refused("hubs[0].maxMessageSize", () -> new GatewayOptions(new JsonObject()
      .put("hubs", new JsonArray().add(new JsonObject().put("maxMessageSize", 10)))));
    refused("hubs[0].name", () -> new GatewayOptions(new JsonObject()
      .put("hubs", new JsonArray().add(new JsonObject().put("name", "has.dot")))));
  }

  @Test
  void duplicateHubNamesOrPathsAreRefused() {
    refused("\"a\"", () -> new GatewayOptions().setHubs(List.of(
      new HubOptions().setName("a").setPath("/a"), new HubOptions().setName("a").setPath("/b"))));
    refused("\"/same\"", () -> new GatewayOptions().setHubs(List.of(
      new HubOptions().setName("a").setPath("/same"), new HubOptions().setName("b").setPath("/same"))));
    refused("hubs", () -> new GatewayOptions(new JsonObject().put("hubs", new JsonArray()
      .add(new JsonObject().put("name", "a").put("path", "/a")).add(new JsonObject().put("name", "a").put("path", "/b")))));
    refused("\"default\"", () -> new GatewayOptions().addHub(new HubOptions().setPath("/other")));
  }

  @Test
  void gatewaySettersValidate() {
    GatewayOptions o = new GatewayOptions();
    refused("port", () -> o.setPort(-1));
    refused("port", () -> o.setPort(65536));
    refused("host", () -> o.setHost(""));
    refused("host", () -> o.setHost(null));
    refused("echoPath", () -> o.setEchoPath("ws/echo"));
    refused("echoMaxMessageSize", () -> o.setEchoMaxMessageSize(1023));
    refused("echoMaxFragments", () -> o.setEchoMaxFragments(0));
    refused("requestTimeout", () -> o.setRequestTimeout(99));
    refused("requestTimeout", () -> o.setRequestTimeout(60001));
    refused("serverInstances", () -> o.setServerInstances(0));
    refused("serverInstances", () -> o.setServerInstances(257));
    refused("hub", () -> o.setHubs(List.of()));
    assertEquals(new GatewayOptions(), o, "a refused value changes nothing");
    assertEquals(0, o.setPort(0).getPort());
    assertEquals(65535, o.setPort(65535).getPort());
  }

  @Test
  void hubSettersValidate() {
    HubOptions h = new HubOptions();
    refused("name", () -> h.setName(""));
    refused("name", () -> h.setName("a.b"));
    refused("name", () -> h.setName("n".repeat(65)));
    refused("name", () -> h.setName(null));
    refused("path", () -> h.setPath("ws"));
    refused("path", () -> h.setPath(null));
    refused("maxMessageSize", () -> h.setMaxMessageSize(1023));
    refused("presence", () -> h.setPresence(List.of("")));
    assertThrows(RuntimeException.class, () -> h.setPresence(null));
    assertEquals(new HubOptions(), h, "a refused value changes nothing");
    assertEquals(1024, h.setMaxMessageSize(1024).getMaxMessageSize());
    assertEquals("n".repeat(64), h.setName("n".repeat(64)).getName());
  }

  @Test
  void gettersReturnCopies() {
    GatewayOptions o = custom();
    o.getHubs().get(0).setMaxMessageSize(2048);
    assertEquals(4096, o.getHubs().get(0).getMaxMessageSize());
    HubOptions h = new HubOptions().setPresence(List.of("a"));
    h.getPresence().add("b");
    assertEquals(List.of("a"), h.getPresence());
  }
}

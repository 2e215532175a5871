package io.roomcast.gateway.hardening;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.RawSocketClient;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Permission rules against claims. The claims come from a test authenticator that takes them
 * from a header, so that each client can have its own.
 */
class PermissionsTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    JsonArray rules = new JsonArray()
      .add(new JsonObject().put("room", "admin-*").put("join", new JsonObject().put("claim", "role").put("equals", "admin"))
        .put("publish", new JsonObject().put("claim", "role").put("equals", "admin")))
      .add(new JsonObject().put("room", "news").put("join", true).put("publish", new JsonObject().put("claim", "groups").put("equals", "editors")))
      .add(new JsonObject().put("room", "public-*").put("join", true).put("publish", true))
      .add(new JsonObject().put("room", "root").put("join", true).put("publish", false))
      .add(new JsonObject().put("room", "closed").put("join", false));
    return super.options().setHubs(List.of(
      new HubOptions().setPermissions(rules),
      new HubOptions().setName("room-path").setPath("/rooms/:room").setPermissions(rules)));
  }

  @Override
  protected void configure(Gateway gateway) {
    gateway.hubs().forEach(h -> h.authenticator(handshake -> {
      String claims = handshake.header("X-Claims");
      return Future.succeededFuture(claims == null ? new JsonObject() : new JsonObject(claims));
    }));
  }

  private TestClient client(JsonObject claims) {
    return track(TestClient.openWelcomed(vertx, port, "/ws", Map.of("X-Claims", claims.encode())));
  }

  @Test
  void joinAndPublishFollowTheFirstMatchingRule() {
    TestClient admin = client(new JsonObject().put("role", "admin"));
    TestClient editor = client(new JsonObject().put("groups", new JsonArray().add("staff").add("editors")));
    TestClient reader = client(new JsonObject().put("role", "reader"));
    Wire w = Wire.JSON;
    w.join(admin, "admin-ops");
    assertEquals("forbidden", w.failure(reader, Envelope.of("join").withRoom("admin-ops")).errorCode());
    assertEquals("forbidden", w.failure(editor, Envelope.of("join").withRoom("admin-ops")).errorCode());
    for (TestClient c : List.of(admin, editor, reader)) {
      w.join(c, "news");
    }
    assertEquals("ok", w.request(editor, Envelope.of("story").withRoom("news").withData("scoop")).status());
    assertEquals("scoop", reader.takeEvent("story").data());
    assertEquals("forbidden", w.failure(reader, Envelope.of("story").withRoom("news").withData("rumour")).errorCode());
    assertEquals("forbidden", w.failure(admin, Envelope.of("story").withRoom("news").withData("x")).errorCode(),
      "the news rule matched first: the admin role does not help");
    assertTrue(editor.sync().stream().noneMatch(m -> "story".equals(m.event())), "a forbidden publish was delivered");
  }

  @Test
  void whatNoRuleMatchesIsForbidden() {
    TestClient c = client(new JsonObject().put("role", "admin"));
    assertEquals("forbidden", Wire.JSON.failure(c, Envelope.of("join").withRoom("unlisted")).errorCode());
    assertEquals("forbidden", Wire.JSON.failure(c, Envelope.of("join").withRoom("closed")).errorCode());
    Wire.JSON.join(c, "public-square");
  }

  @Test
  void publishingToRootCanBeForbidden() {
    TestClient a = client(new JsonObject());
    TestClient b = client(new JsonObject());
    assertEquals("forbidden", Wire.JSON.failure(a, Envelope.of("shout").withRoom("root")).errorCode());
    assertTrue(b.sync().stream().noneMatch(m -> "shout".equals(m.event())));
  }

  @Test
  void theServerSideApiIsTrusted() {
    TestClient reader = client(new JsonObject().put("role", "reader"));
    Await.result(hub.join(reader.id(), "admin-ops"));
    hub.broadcast("admin-ops", "notice", "for admins");
    assertEquals("for admins", reader.takeEvent("notice").data());
  }

  @Test
  void aRoomInThePathIsAJoinAndIsCheckedBeforeTheUpgrade() {
    try (RawSocketClient raw = RawSocketClient.connect(port)) {
      assertEquals(403, raw.upgrade("/rooms/admin-ops", Map.of("X-Claims", "{\"role\":\"reader\"}")).status());
    }
    try (RawSocketClient raw = RawSocketClient.connect(port)) {
      assertEquals(101, raw.upgrade("/rooms/admin-ops", Map.of("X-Claims", "{\"role\":\"admin\"}")).status());
    }
  }

  @Test
  void badRulesAreRefusedWhenConfigured() {
    List<JsonObject> bad = List.of(
      new JsonObject().put("join", true),
      new JsonObject().put("room", "x").put("join", "yes"),
      new JsonObject().put("room", "x").put("publish", new JsonObject().put("claim", "role")),
      new JsonObject().put("room", "x").put("join", new JsonObject().put("claim", "role").put("equals", 1).put("extra", 2)),
      new JsonObject().put("room", "x").put("delete", true));
    for (JsonObject rule : bad) {
      assertThrows(IllegalArgumentException.class, () -> new HubOptions().setPermissions(new JsonArray().add(rule)), rule.encode());
    }
  }
}

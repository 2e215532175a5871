package io.roomcast.gateway.seeds;

import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * runa's ws guide (seeds/003) with Roomcast's API: named hubs on their own paths, handlers with
 * Reply and Publish, the client format {@code {"id":"1","event":"subscribe","channel":"room"}}
 * with subscribe, unsubscribe and ping, and a hub-wide broadcast.
 */
class RunaParityTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(new HubOptions(), new HubOptions().setName("admin").setPath("/admin")));
  }

  @Override
  protected void configure(Gateway gateway) {
    for (Hub h : gateway.hubs()) {
      // hub.On("chat.message", ... ctx.Publish("room", "chat.message", ctx.Message().Data))
      h.on("chat.message", ctx -> ctx.publish("room", "chat.message", ctx.data()));
      // hub.On("echo", ... ctx.Reply(runa.Map{"data": ctx.Message().Data}))
      h.on("echo", ctx -> ctx.reply(new JsonObject().put("data", ctx.data()).put("hub", ctx.hub().name())));
    }
  }

  private static Msg request(TestClient c, String frame, String id) {
    c.sendText(frame);
    Msg reply = c.takeReply(id);
    assertEquals("ok", reply.status(), reply::toString);
    return reply;
  }

  private static void subscribe(TestClient c, String id) {
    Msg reply = request(c, "{\"id\":\"" + id + "\",\"event\":\"subscribe\",\"channel\":\"room\"}", id);
    assertEquals(new JsonObject().put("room", "room"), reply.data());
  }

  @Test
  void namedHubsServeTheirOwnPaths() {
    assertEquals("default", gateway.hub("default").name());
    assertEquals("/admin", gateway.hub("admin").options().getPath());
    assertThrows(IllegalArgumentException.class, () -> gateway.hub("nope"));
    TestClient user = connect();
    TestClient admin = connectTo("/admin");
    Msg a = request(user, "{\"id\":\"2\",\"event\":\"echo\",\"data\":{\"text\":\"hello\"}}", "2");
    Msg b = request(admin, "{\"id\":\"2\",\"event\":\"echo\",\"data\":{\"text\":\"hello\"}}", "2");
    assertEquals("default", ((JsonObject) a.data()).getString("hub"));
    assertEquals("admin", ((JsonObject) b.data()).getString("hub"));
  }

  @Test
  void aMessageInOneHubNeverReachesTheOtherEvenForTheSameRoom() {
    TestClient user1 = connect();
    TestClient user2 = connect();
    TestClient admin1 = connectTo("/admin");
    TestClient admin2 = connectTo("/admin");
    subscribe(user1, "1");
    subscribe(user2, "1");
    subscribe(admin1, "1");
    subscribe(admin2, "1");
    user1.sendText("{\"event\":\"chat.message\",\"data\":{\"text\":\"for users\"}}");
    assertEquals(new JsonObject().put("text", "for users"), user2.takeEvent("chat.message").data());
    assertTrue(admin1.sync().isEmpty(), "a user's message reached the admin hub");
    assertTrue(admin2.sync().isEmpty(), "a user's message reached the admin hub");
    admin1.sendText("{\"event\":\"chat.message\",\"data\":{\"text\":\"for admins\"}}");
    assertEquals(new JsonObject().put("text", "for admins"), admin2.takeEvent("chat.message").data());
    gateway.hub("admin").broadcast("room", "notice", "admins only");
    assertEquals("admins only", admin1.takeEvent("notice").data());
    assertTrue(user1.sync().isEmpty(), "an admin message reached the default hub");
    assertTrue(user2.sync().isEmpty(), "an admin message reached the default hub");
  }

  @Test
  void echoRepliesWithTheRequestsStringId() {
    TestClient c = connect();
    Msg reply = request(c, "{\"id\":\"2\",\"event\":\"echo\",\"data\":{\"text\":\"hello\"}}", "2");
    assertEquals(new JsonObject().put("text", "hello"), ((JsonObject) reply.data()).getJsonObject("data"));
  }

  @Test
  void publishReachesTheChannelsOtherSubscribersFromTheSender() {
    TestClient sender = connect();
    TestClient subscriber = connect();
    TestClient other = connect();
    subscribe(sender, "1");
    subscribe(subscriber, "1");
    sender.sendText("{\"event\":\"chat.message\",\"data\":{\"text\":\"hi\"}}");
    Msg m = subscriber.takeEvent("chat.message");
    assertEquals("room", m.room());
    assertEquals(sender.id(), m.from());
    assertEquals(new JsonObject().put("text", "hi"), m.data());
    assertTrue(sender.sync().isEmpty());
    assertTrue(other.sync().isEmpty(), "a non-subscriber got a channel message");
  }

  @Test
  void subscribeUnsubscribeAndPingWithTheChannelAliasAndStringIds() {
    TestClient c = connect();
    TestClient publisher = connect();
    subscribe(c, "1");
    subscribe(publisher, "p1");
    publisher.sendText("{\"event\":\"chat.message\",\"data\":1}");
    assertEquals(1, ((Number) c.takeEvent("chat.message").data()).intValue());
    Msg unsubscribed = request(c, "{\"id\":\"3\",\"event\":\"unsubscribe\",\"channel\":\"room\"}", "3");
    assertEquals(new JsonObject().put("room", "room"), unsubscribed.data());
    publisher.sendText("{\"event\":\"chat.message\",\"data\":2}");
    publisher.sync();
    Msg pong = request(c, "{\"id\":\"4\",\"event\":\"ping\"}", "4");
    assertEquals(new JsonObject(), pong.data());
    assertTrue(c.sync().isEmpty(), "a message after unsubscribe");
  }

  @Test
  void aBroadcastToRootReachesEveryConnectionOfTheHub() {
    List<TestClient> users = List.of(connect(), connect(), connect());
    TestClient admin = connectTo("/admin");
    hub.broadcast("root", "announcement", new JsonObject().put("text", "maintenance"));
    for (TestClient c : users) {
      Msg m = c.takeEvent("announcement");
      assertEquals("root", m.room());
      assertEquals(new JsonObject().put("text", "maintenance"), m.data());
    }
    assertTrue(admin.sync().isEmpty());
  }
}

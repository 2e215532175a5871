package io.roomcast.gateway.api;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.Connection;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.RoomcastException;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.BareClient;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.Recorder;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub's server-side operations (Hub), with clients spread over both event loops. */
class HubApiTest extends GatewayTestBase {

  /** A connection as onConnect saw it, with the event loop it runs on. */
  private record Opened(Connection connection, String thread) {
  }

  private final Recorder<Opened> opened = new Recorder<>();
  private final Recorder<Connection> closed = new Recorder<>();

  @Override
  protected void configure(Gateway gateway) {
    gateway.hub("default")
      .onConnect(c -> opened.add(new Opened(c, Thread.currentThread().getName())))
      .onClose(closed::add)
      .on("invite", ctx -> {
        JsonObject d = (JsonObject) ctx.data();
        ctx.hub().join(d.getString("who"), d.getString("room")).onComplete(ar -> {
          if (ar.succeeded()) {
            ctx.reply(new JsonObject().put("joined", d.getString("who")));
          } else {
            ctx.fail(ErrorCode.INTERNAL, ar.cause().getMessage());
          }
        });
      });
  }

  private Opened openedFor(TestClient c) {
    return opened.await(o -> o.connection().id().equals(c.id()));
  }

  /** @return one client on each of the two event loops that serve the hub */
  private List<TestClient> oneClientPerEventLoop() {
    Map<String, TestClient> byThread = new LinkedHashMap<>();
    for (int i = 0; i < 8 && byThread.size() < 2; i++) {
      TestClient c = connect();
      byThread.putIfAbsent(openedFor(c).thread(), c);
    }
    assertEquals(2, byThread.size(), "eight connections all landed on one event loop: " + byThread.keySet());
    return new ArrayList<>(byThread.values());
  }

  private static RoomcastException roomcastFailure(Future<?> future) {
    Throwable failure = Await.failure(future);
    assertInstanceOf(RoomcastException.class, failure, () -> "not a RoomcastException: " + failure);
    return (RoomcastException) failure;
  }

  private void awaitClosedOnServer(TestClient c) {
    closed.await(conn -> conn.id().equals(c.id()));
  }

  private Map<String, Long> roomCounts() {
    Map<String, Long> counts = new TreeMap<>();
    for (RoomInfo r : Await.result(hub.rooms())) {
      counts.put(r.room(), r.members());
    }
    return counts;
  }

  @Test
  void joinAndLeaveByIdWorkForClientsOnEitherEventLoop() {
    List<TestClient> clients = oneClientPerEventLoop();
    for (TestClient c : clients) {
      Await.result(hub.join(c.id(), "by-id"));
    }
    hub.broadcast("by-id", "notice", 1);
    for (TestClient c : clients) {
      Msg m = c.takeEvent("notice");
      assertEquals("by-id", m.room());
      assertNull(m.from());
    }
    Await.result(hub.leave(clients.get(0).id(), "by-id"));
    Await.result(hub.join(clients.get(1).id(), "by-id"));
    hub.broadcast("by-id", "notice", 2);
    assertEquals(2, ((Number) clients.get(1).takeEvent("notice").data()).intValue());
    assertTrue(clients.get(0).sync().isEmpty(), "a client got a room's message after leaving it");
  }

  @Test
  void joinAndLeaveTakeConnectionsToo() {
    for (TestClient c : oneClientPerEventLoop()) {
      Connection connection = openedFor(c).connection();
      Await.result(hub.join(connection, "by-connection"));
      assertTrue(connection.rooms().contains("by-connection"));
      hub.broadcast("by-connection", "notice", "in");
      assertEquals("in", c.takeEvent("notice").data());
      Await.result(hub.leave(connection, "by-connection"));
      assertFalse(connection.rooms().contains("by-connection"));
      hub.broadcast("by-connection", "notice", "out");
      assertTrue(c.sync().isEmpty());
    }
  }

  @Test
  void aHandlerOnOneEventLoopJoinsAClientOnTheOther() {
    List<TestClient> clients = oneClientPerEventLoop();
    TestClient inviter = clients.get(0);
    TestClient invitee = clients.get(1);
    String id = TestClient.newRequestId();
    inviter.sendJson(new JsonObject().put("id", id).put("event", "invite")
      .put("data", new JsonObject().put("who", invitee.id()).put("room", "party")));
    Msg reply = inviter.takeReply(id);
    assertEquals("ok", reply.status(), reply::toString);
    Wire.JSON.join(inviter, "party");
    inviter.sendJson(new JsonObject().put("event", "chat").put("room", "party").put("data", "welcome"));
    Msg m = invitee.takeEvent("chat");
    assertEquals(inviter.id(), m.from());
    assertEquals("welcome", m.data());
  }

  @Test
  void leavingRootFailsWithForbiddenAndChangesNothing() {
    for (TestClient c : oneClientPerEventLoop()) {
      assertEquals(ErrorCode.FORBIDDEN, roomcastFailure(hub.leave(c.id(), "root")).code());
      assertEquals(ErrorCode.FORBIDDEN, roomcastFailure(hub.leave(openedFor(c).connection(), "root")).code());
      hub.broadcast("root", "still", c.id());
      c.take(m -> "still".equals(m.event()) && c.id().equals(m.data()));
    }
  }

  @Test
  void operationsOnUnknownClientsFailWithUnknownClient() {
    TestClient gone = connect();
    gone.close();
    awaitClosedOnServer(gone);
    List<String> unknown = List.of(gateway.nodeId() + ".0.zzzzz", gateway.nodeId() + ".1.zzzzz",
      gateway.nodeId() + ".9.1", "nosuchnode.0.1", "not-an-id", "", "x".repeat(65), gone.id());
    Map<String, Function<String, Future<?>>> operations = new LinkedHashMap<>();
    operations.put("send", id -> hub.send(id, "dm", "hello"));
    operations.put("kick", hub::kick);
    operations.put("remove", hub::remove);
    operations.put("join", id -> hub.join(id, "room"));
    operations.put("leave", id -> hub.leave(id, "room"));
    for (String id : unknown) {
      operations.forEach((name, operation) ->
        assertEquals(ErrorCode.UNKNOWN_CLIENT, roomcastFailure(operation.apply(id)).code(), name + " " + id));
    }
  }

  @Test
  void sendByIdDeliversAServerEventWithoutFromOrRoom() {
    for (TestClient c : oneClientPerEventLoop()) {
      Await.result(hub.send(c.id(), "direct", new JsonObject().put("to", c.id())));
      Msg m = c.takeEvent("direct");
      assertNull(m.from());
      assertNull(m.room());
      assertEquals(new JsonObject().put("to", c.id()), m.data());
    }
  }

  @Test
  void kickClosesWith1008AndReasonKicked() {
    TestClient target = connect();
    TestClient bystander = connect();
    Await.result(hub.kick(target.id()));
    assertEquals(1008, target.awaitClose());
    assertEquals("kicked", target.closeReason());
    assertTrue(bystander.sync().isEmpty());
    assertFalse(bystander.isClosed());
  }

  @Test
  void removeClosesWith1000AndTheClientHasLeftEveryRoomWhenItCompletes() {
    // A client slow to finish the close handshake (this one never answers): "done" must not depend on it.
    try (BareClient target = BareClient.upgrade(vertx, port, "/ws", null)) {
      String id = new JsonObject(target.takeFrame().payload()).getJsonObject("data").getString("id");
      TestClient other = connect();
      Await.result(hub.join(id, "solo"));
      Await.result(hub.join(id, "shared"));
      Wire.JSON.join(other, "shared");
      Await.result(hub.remove(id));
      List<ClientInfo> shared = Await.result(hub.clients("shared"));
      assertEquals(List.of(new ClientInfo(other.id(), gateway.nodeId())), shared, "the removed client is still a member");
      Map<String, Long> counts = roomCounts();
      assertFalse(counts.containsKey("solo"), "the removed client's room is still there: " + counts);
      assertEquals(1L, counts.get("root"), "the removed client is still counted in root");
      BareClient.Frame close = target.takeFrame();
      assertEquals(8, close.opcode());
      assertEquals(1000, close.closeCode());
    }
  }

  @Test
  void removeClosesAClientThatAnswersPromptlyWith1000() {
    TestClient target = connect();
    Wire.JSON.join(target, "solo");
    Await.result(hub.remove(target.id()));
    assertEquals(1000, target.awaitClose());
    awaitClosedOnServer(target);
    assertFalse(roomCounts().containsKey("solo"));
  }

  @Test
  void clientsListsTheMembersOfARoomWithTheirNode() {
    TestClient a = connect();
    TestClient b = connect();
    TestClient c = connect();
    Wire.JSON.join(a, "listed");
    Wire.JSON.join(c, "listed");
    List<ClientInfo> expected = new ArrayList<>(List.of(new ClientInfo(a.id(), gateway.nodeId()), new ClientInfo(c.id(), gateway.nodeId())));
    expected.sort((x, y) -> x.id().compareTo(y.id()));
    assertEquals(expected, Await.result(hub.clients("listed")));
    assertEquals(3, Await.result(hub.clients("root")).size());
    assertTrue(Await.result(hub.clients("root")).stream().anyMatch(i -> i.id().equals(b.id())));
    assertTrue(Await.result(hub.clients("nobody-here")).isEmpty());
    assertInstanceOf(IllegalArgumentException.class, Await.failure(hub.clients("bad room")));
  }

  @Test
  void roomsListsEveryRoomWithItsMemberCountRootIncluded() {
    TestClient a = connect();
    TestClient b = connect();
    TestClient c = connect();
    Wire.JSON.join(a, "two");
    Wire.JSON.join(b, "two");
    Wire.JSON.join(c, "one");
    assertEquals(Map.of("root", 3L, "two", 2L, "one", 1L), roomCounts());
    Wire.JSON.request(b, io.roomcast.gateway.Envelope.of("leave").withRoom("two"));
    assertEquals(Map.of("root", 3L, "two", 1L, "one", 1L), roomCounts());
  }

  @Test
  void countCountsConnectionsAndDropsClosedOnes() {
    assertEquals(0L, Await.result(hub.count()));
    List<TestClient> clients = List.of(connect(), connect(), connect());
    assertEquals(3L, Await.result(hub.count()));
    clients.get(0).close();
    awaitClosedOnServer(clients.get(0));
    assertEquals(2L, Await.result(hub.count()));
  }
}

package io.roomcast.gateway.api;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.RoomcastException;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.Recorder;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub's lifecycle callbacks (Rue's OnConnect / OnMessage / OnClose / OnError): when they run
 * relative to the protocol, and that an exception in any of them, or in a handler, is answered
 * and reported without harming the connection or any other.
 */
class LifecycleCallbacksTest extends GatewayTestBase {

  private record Opened(String id, Set<String> rooms) {
  }

  private record Closed(Connection connection, boolean closedAtCallback, boolean closeFutureDone, Set<String> rooms) {
  }

  private record MembersAtClose(String closing, List<String> membersOfX) {
  }

  private record Failure(String id, Throwable error) {
  }

  private final Recorder<Opened> opened = new Recorder<>();
  private final Recorder<String> messages = new Recorder<>();
  private final Recorder<Closed> closed = new Recorder<>();
  private final Recorder<MembersAtClose> membersAtClose = new Recorder<>();
  private final Recorder<Failure> errors = new Recorder<>();

  @Override
  protected void configure(Gateway gateway) {
    Hub h = gateway.hub("default");
    h.onConnect(c -> {
      opened.add(new Opened(c.id(), c.rooms()));
      c.send("hello", c.id());
      if (c.handshake().queryParam("throwOnConnect") != null) {
        throw new IllegalStateException("onConnect boom");
      }
    });
    h.onMessage(ctx -> {
      messages.add(ctx.connection().id() + " " + ctx.event());
      Object id = ctx.envelope().id();
      if (id instanceof String && ((String) id).startsWith("trace")) {
        ctx.connection().send("seen", ctx.event());
      }
      if ("explode".equals(ctx.event())) {
        throw new IllegalStateException("onMessage boom");
      }
    });
    h.onClose(c -> {
      closed.add(new Closed(c, c.isClosed(), c.closeFuture().isComplete(), c.rooms()));
      h.clients("x").onSuccess(list -> membersAtClose.add(new MembersAtClose(c.id(), list.stream().map(ClientInfo::id).toList())));
      if (c.handshake().queryParam("throwOnClose") != null) {
        throw new IllegalStateException("onClose boom");
      }
    });
    h.onError((c, t) -> {
      errors.add(new Failure(c.id(), t));
      throw new IllegalStateException("onError boom");
    });
    h.on("boom", ctx -> {
      throw new IllegalStateException("handler boom");
    });
    h.on("deny", ctx -> {
      throw new RoomcastException(ErrorCode.FORBIDDEN, "denied by the handler");
    });
    h.on("ok", ctx -> ctx.reply("fine"));
  }

  private List<String> messagesOf(TestClient c) {
    return messages.snapshot().stream().filter(m -> m.startsWith(c.id() + " ")).map(m -> m.substring(c.id().length() + 1)).toList();
  }

  private Failure errorOf(TestClient c, String message) {
    return errors.await(f -> f.id().equals(c.id()) && message.equals(f.error().getMessage()));
  }

  private static void assertUsable(TestClient c) {
    assertFalse(c.isClosed());
    assertEquals("ok", Wire.JSON.request(c, Envelope.of("ping")).status());
  }

  @Test
  void onConnectRunsOnceTheWelcomeIsSentWithRootJoined() {
    TestClient c = track(TestClient.open(vertx, TestClient.options(port, "/ws")));
    Msg welcome = c.takeNext();
    assertEquals("welcome", welcome.event());
    String id = welcome.dataObject().getString("id");
    Msg hello = c.takeNext();
    assertEquals("hello", hello.event(), "onConnect's frame did not come right after the welcome");
    assertEquals(id, hello.data());
    assertTrue(opened.await(o -> o.id().equals(id)).rooms().contains("root"));
  }

  @Test
  void onMessageSeesEveryWellFormedMessageBeforeItIsDispatched() {
    TestClient c = connect();
    TestClient member = connect();
    Wire.JSON.join(member, "r");
    c.takeEvent("hello");
    List<JsonObject> requests = List.of(
      new JsonObject().put("id", "trace-1").put("event", "join").put("room", "r"),
      new JsonObject().put("id", "trace-2").put("event", "ping"),
      new JsonObject().put("id", "trace-3").put("event", "ok"),
      new JsonObject().put("id", "trace-4").put("event", "chat").put("room", "r").put("data", 1),
      new JsonObject().put("id", "trace-5").put("event", "nothing"),
      new JsonObject().put("id", "trace-6").put("event", "leave").put("room", "root"));
    for (JsonObject request : requests) {
      c.sendJson(request);
      Msg seen = c.takeNext();
      assertEquals("seen", seen.event(), () -> "onMessage did not run before " + request + " was answered: " + seen);
      assertEquals(request.getString("event"), seen.data());
      Msg reply = c.takeNext();
      assertEquals("reply", reply.event());
      assertEquals(request.getString("id"), reply.id());
    }
    assertEquals(1, ((Number) member.takeEvent("chat").data()).intValue());
    c.sendText("{bad");
    c.sendText("{\"id\":\"trace-7\",\"event\":5}");
    assertEquals("error", c.takeNext().event());
    assertEquals("reply", c.takeNext().event());
    c.sendBinary(Envelope.of("ping"));
    c.takeNext();
    c.sync();
    assertEquals(List.of("join", "ping", "ok", "chat", "nothing", "leave", "ping", "ping"), messagesOf(c));
  }

  @Test
  void onCloseRunsAfterTheConnectionLeftItsRooms() {
    TestClient leaving = connect();
    TestClient staying = connect();
    Wire.JSON.join(leaving, "x");
    Wire.JSON.join(staying, "x");
    leaving.close();
    Closed c = closed.await(e -> e.connection().id().equals(leaving.id()));
    assertTrue(c.closedAtCallback(), "the connection was not closed yet");
    assertTrue(c.closeFutureDone(), "closeFuture was not complete yet");
    assertFalse(c.rooms().contains("x"), "the connection was still in its room: " + c.rooms());
    assertEquals(List.of(staying.id()), membersAtClose.await(m -> m.closing().equals(leaving.id())).membersOfX());
    assertEquals(1L, Await.result(hub.count()));
  }

  @Test
  void onCloseRunsForAServerSideCloseToo() {
    TestClient kicked = connect();
    Await.result(hub.kick(kicked.id()));
    assertEquals(1008, kicked.awaitClose());
    assertTrue(closed.await(e -> e.connection().id().equals(kicked.id())).closedAtCallback());
  }

  @Test
  void aHandlerThrowingAnswersInternalAndOnErrorGetsTheException() {
    TestClient c = connect();
    Msg reply = Wire.JSON.failure(c, Envelope.of("boom"));
    assertEquals("internal", reply.errorCode());
    Failure f = errorOf(c, "handler boom");
    assertInstanceOf(IllegalStateException.class, f.error());
    c.sendJson(Envelope.of("boom"));
    Msg event = c.takeEvent("error");
    assertEquals("internal", event.errorCode());
    c.sendBinary(Envelope.of("boom").withRoom("r"));
    assertEquals("internal", c.takeEvent("error").errorCode());
    assertUsable(c);
  }

  @Test
  void aHandlerThrowingRoomcastExceptionAnswersItsCode() {
    TestClient c = connect();
    Msg reply = Wire.JSON.failure(c, Envelope.of("deny"));
    assertEquals("forbidden", reply.errorCode());
    assertEquals("denied by the handler", reply.error().getString("message"));
    c.sendJson(Envelope.of("deny"));
    assertEquals("forbidden", c.takeEvent("error").errorCode());
    assertUsable(c);
  }

  @Test
  void aThrowingOnConnectNeverKillsTheConnection() {
    TestClient c = connectTo("/ws?throwOnConnect=1");
    assertEquals(c.id(), c.takeEvent("hello").data());
    errorOf(c, "onConnect boom");
    assertUsable(c);
    Wire.JSON.join(c, "after");
    hub.broadcast("after", "notice", "still here");
    assertEquals("still here", c.takeEvent("notice").data());
  }

  @Test
  void aThrowingOnMessageAnswersInternalAndHarmsNoConnection() {
    TestClient c = connect();
    TestClient member = connect();
    Wire.JSON.join(c, "r");
    Wire.JSON.join(member, "r");
    assertEquals("internal", Wire.JSON.failure(c, Envelope.of("explode").withRoom("r")).errorCode());
    errorOf(c, "onMessage boom");
    assertUsable(c);
    c.sendJson(Envelope.of("chat").withRoom("r").withData("after"));
    assertEquals("after", member.takeEvent("chat").data());
    assertUsable(member);
  }

  @Test
  void aThrowingOnCloseHarmsNoOtherConnection() {
    TestClient leaving = connectTo("/ws?throwOnClose=1");
    TestClient staying = connect();
    Wire.JSON.join(leaving, "x");
    Wire.JSON.join(staying, "x");
    leaving.close();
    errorOf(leaving, "onClose boom");
    assertUsable(staying);
    assertEquals(1L, Await.result(hub.count()));
    assertEquals(List.of(new ClientInfo(staying.id(), gateway.nodeId())), Await.result(hub.clients("x")));
  }
}

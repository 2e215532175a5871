package io.roomcast.gateway.rooms;

import io.roomcast.gateway.Connection;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.impl.bus.Probe;
import io.roomcast.gateway.testing.Await;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.Recorder;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Empty rooms are collected (wsrooms): once the last member of a room leaves or disconnects, the
 * room is gone from {@code rooms()} and its event-bus consumer is unregistered, for thousands of
 * rooms at once.
 */
class EmptyRoomCollectionTest extends GatewayTestBase {

  private static final int CLIENTS = 12;
  // Under the protocol's default maxRoomsPerConnection (256).
  private static final int ROOMS_PER_CLIENT = 250;
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(2000);

  private final Recorder<Connection> closed = new Recorder<>();

  @Override
  protected GatewayOptions options() {
    // Each client pipelines hundreds of joins and leaves: no rate limit, nor bound on new rooms, in the way.
    return super.options().setHubs(List.of(new HubOptions().setRateLimit(0).setJoinRateLimit(0).setFreshRoomRate(0)));
  }

  @Override
  protected void configure(Gateway gateway) {
    gateway.hub("default").onClose(closed::add);
  }

  private static String room(int client, int i) {
    return "room-" + client + "-" + i;
  }

  private static String address(String room) {
    return "roomcast.default.room." + room;
  }

  /** Sends every request without waiting, then takes every reply. */
  private static void pipeline(TestClient c, String event, List<String> rooms) {
    List<String> ids = new ArrayList<>();
    for (String room : rooms) {
      String id = TestClient.newRequestId();
      ids.add(id);
      c.sendJson(new JsonObject().put("id", id).put("event", event).put("room", room));
    }
    for (String id : ids) {
      Msg reply = c.takeReply(id);
      assertEquals("ok", reply.status(), reply::toString);
    }
  }

  private List<TestClient> clientsInThousandsOfRooms(List<String> allRooms) {
    List<TestClient> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      List<String> rooms = new ArrayList<>();
      for (int i = 0; i < ROOMS_PER_CLIENT; i++) {
        rooms.add(room(c, i));
      }
      TestClient client = connect();
      pipeline(client, "join", rooms);
      clients.add(client);
      allRooms.addAll(rooms);
    }
    Map<String, Long> counts = roomCounts();
    assertEquals(CLIENTS * ROOMS_PER_CLIENT + 1, counts.size());
    assertEquals(1L, counts.get(allRooms.get(0)));
    // A control: the address of a room with a member has a consumer (it takes a probe and does not answer).
    Throwable probe = Await.failure(vertx.eventBus().request(address(allRooms.get(0)),
      new Probe("test", "token"), new DeliveryOptions().setSendTimeout(200)));
    assertEquals(ReplyFailure.TIMEOUT, ((ReplyException) probe).failureType());
    return clients;
  }

  private Map<String, Long> roomCounts() {
    Map<String, Long> counts = new TreeMap<>();
    for (RoomInfo r : Await.result(hub.rooms())) {
      counts.put(r.room(), r.members());
    }
    return counts;
  }

  private void assertNoConsumerLeft(List<String> rooms) {
    List<Future<?>> requests = new ArrayList<>();
    for (String room : rooms) {
      requests.add(vertx.eventBus().request(address(room), "x", QUICK));
    }
    Await.result(Future.join(requests).otherwiseEmpty());
    for (int i = 0; i < rooms.size(); i++) {
      Throwable failure = requests.get(i).cause();
      String room = rooms.get(i);
      assertInstanceOf(ReplyException.class, failure, () -> "a request to empty room " + room + " did not fail: " + failure);
      assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) failure).failureType(), () -> "room " + room + " still has a consumer");
    }
  }

  @Test
  void roomsLeftByTheirLastMemberAreCollected() {
    List<String> rooms = new ArrayList<>();
    List<TestClient> clients = clientsInThousandsOfRooms(rooms);
    for (int c = 0; c < clients.size(); c++) {
      pipeline(clients.get(c), "leave", rooms.subList(c * ROOMS_PER_CLIENT, (c + 1) * ROOMS_PER_CLIENT));
    }
    assertEquals(Map.of("root", (long) CLIENTS), roomCounts());
    assertNoConsumerLeft(rooms);
  }

  @Test
  void roomsOfDisconnectedClientsAreCollected() {
    List<String> rooms = new ArrayList<>();
    List<TestClient> clients = clientsInThousandsOfRooms(rooms);
    for (TestClient c : clients) {
      c.close();
    }
    closed.awaitCount(CLIENTS);
    Map<String, Long> counts = roomCounts();
    assertEquals(List.of("root"), new ArrayList<>(counts.keySet()), () -> "rooms left: " + counts.size());
    assertNoConsumerLeft(rooms);
  }

  @Test
  void aRoomWithTwoMembersIsKeptUntilTheLastLeaves() {
    TestClient a = connect();
    TestClient b = connect();
    pipeline(a, "join", List.of("shared"));
    pipeline(b, "join", List.of("shared"));
    pipeline(a, "leave", List.of("shared"));
    assertEquals(1L, roomCounts().get("shared"));
    hub.broadcast("shared", "still", 1);
    assertEquals(1, ((Number) b.takeEvent("still").data()).intValue());
    b.close();
    closed.await(c -> c.id().equals(b.id()));
    assertTrue(!roomCounts().containsKey("shared"));
    assertNoConsumerLeft(List.of("shared"));
  }

  @Test
  void aCollectedRoomCanBeJoinedAgain() {
    TestClient a = connect();
    TestClient b = connect();
    pipeline(a, "join", List.of("again"));
    pipeline(a, "leave", List.of("again"));
    assertNoConsumerLeft(List.of("again"));
    pipeline(a, "join", List.of("again"));
    pipeline(b, "join", List.of("again"));
    b.sendJson(new JsonObject().put("event", "chat").put("room", "again").put("data", "back"));
    assertEquals("back", a.takeEvent("chat").data());
  }
}

package io.roomcast.gateway.hardening;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.GatewayOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.internal.HubInternal;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Joins cannot be used to flood a node: each connection has its own join rate
 * ({@code joinRateLimit}, bursts of {@code maxRoomsPerConnection}), and the node opens at most
 * {@code freshRoomRate} rooms a second, where the connection served least recently goes first.
 */
class JoinLimitsTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setHubs(List.of(
      new HubOptions().setJoinRateLimit(5).setMaxRoomsPerConnection(10).setFreshRoomRate(0),
      new HubOptions().setName("gated").setPath("/gated").setJoinRateLimit(0).setFreshRoomRate(20).setMaxRoomsPerConnection(100)));
  }

  @Test
  void joinsAndLeavesOverAConnectionsRateAreRateLimitedAndItsMessagesGoOn() {
    TestClient c = connect();
    TestClient other = connect();
    Wire.JSON.join(other, "room-0");
    // A burst of maxRoomsPerConnection passes at once: a reconnecting client joins all its rooms.
    for (int i = 0; i < 10; i++) {
      Wire.JSON.send(c, Envelope.of(i % 2 == 0 ? "join" : "leave").withRoom("room-" + i).withId("j" + i));
    }
    for (int i = 10; i < 20; i++) {
      Wire.JSON.send(c, Envelope.of("join").withRoom("room-" + i).withId("j" + i));
    }
    int ok = 0;
    int limited = 0;
    for (int i = 0; i < 20; i++) {
      Msg reply = c.takeReply("j" + i);
      if ("ok".equals(reply.status())) {
        ok++;
      } else {
        assertEquals("rate_limited", reply.errorCode(), reply.toString());
        assertTrue(reply.error().getString("message").contains("5 joins and leaves per second"), reply.toString());
        limited++;
      }
    }
    assertTrue(ok >= 10 && ok <= 12, ok + " passed: the burst and what refilled meanwhile");
    assertEquals(20 - ok, limited);
    // Messages are not joins: publishing in a joined room goes on.
    Wire.JSON.send(c, Envelope.of("chat").withRoom("room-0").withData("hi"));
    assertEquals("hi", other.takeEvent("chat").data());
    assertTrue(HubInternal.of(hub).counters().dropped(io.roomcast.gateway.internal.HubCounters.Drop.JOIN_RATE_LIMIT) >= limited);
  }

  @Test
  void theNodesBoundOnNewRoomsServesTheRareJoinerBeforeTheFlood() {
    TestClient flood = connectTo("/gated");
    TestClient rare = connectTo("/gated");
    long before = HubInternal.of(gateway.hub("gated")).counters().roomOpenWaits();
    // 60 fresh rooms at once against 20 a second (bursts of 20): the last wait about two seconds.
    for (int i = 0; i < 60; i++) {
      Wire.JSON.send(flood, Envelope.of("join").withRoom("flood-" + i).withId("f" + i));
    }
    flood.takeReply("f19");
    long asked = System.nanoTime();
    Msg rareReply = Wire.JSON.request(rare, Envelope.of("join").withRoom("mine"));
    long rareMs = (System.nanoTime() - asked) / 1_000_000;
    assertEquals("ok", rareReply.status(), rareReply.toString());
    List<Long> floodDone = new ArrayList<>();
    for (int i = 20; i < 60; i++) {
      assertEquals("ok", flood.takeReply("f" + i).status(), "the flood's joins wait, they are not refused");
      floodDone.add((System.nanoTime() - asked) / 1_000_000);
    }
    System.out.printf("fresh-room bound: the rare joiner waited %d ms, the flood's last join %d ms%n", rareMs, floodDone.get(floodDone.size() - 1));
    assertTrue(rareMs < 300, "the rare joiner goes first: " + rareMs + " ms");
    assertTrue(floodDone.get(floodDone.size() - 1) > 1000, "the flood is held to 20 rooms a second: " + floodDone);
    assertTrue(HubInternal.of(gateway.hub("gated")).counters().roomOpenWaits() - before >= 30);
    // Joining a room that is open already is not bounded.
    TestClient third = connectTo("/gated");
    assertEquals("ok", Wire.JSON.request(third, Envelope.of("join").withRoom("mine")).status());
    assertFalse(flood.isClosed());
  }
}

package io.roomcast.gateway.rooms;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A room larger than the size from which a fan-out flushes as it goes (EarlyFlush): every member,
 * first or last in the loop, gets every message once and in order, in both encodings.
 */
class LargeRoomTest extends GatewayTestBase {

  private static final int MEMBERS = 300;
  private static final int MESSAGES = 20;

  @Test
  void everyMemberOfALargeRoomGetsEveryMessageOnceAndInOrder() {
    List<TestClient> members = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      Wire wire = i % 4 == 0 ? Wire.BINARY : Wire.JSON;
      TestClient member = connect(wire.subprotocol());
      wire.join(member, "big");
      members.add(member);
    }
    TestClient publisher = connect();
    Wire.JSON.join(publisher, "big");
    for (int n = 0; n < MESSAGES; n++) {
      Wire.JSON.send(publisher, Envelope.of("tick").withRoom("big").withData(new JsonObject().put("n", n)));
    }
    for (TestClient member : members) {
      for (int n = 0; n < MESSAGES; n++) {
        Msg m = member.takeEvent("tick");
        assertEquals(n, m.dataObject().getInteger("n"), member.id() + " out of order");
      }
    }
    for (TestClient member : members) {
      assertEquals(List.of(), member.sync().stream().filter(m -> "tick".equals(m.event())).toList(), member.id() + " got a message twice");
    }
  }
}

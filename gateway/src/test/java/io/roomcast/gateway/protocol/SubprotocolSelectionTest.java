package io.roomcast.gateway.protocol;

import io.roomcast.gateway.DecodeResult;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.testing.BareClient;
import io.roomcast.gateway.testing.GatewayTestBase;
import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md section 1: which subprotocol the server selects for what a client offers, and
 * that the selection decides the encoding of what the server sends, starting with the welcome.
 * Handshakes are written by hand so that no client library second-guesses the server's answer.
 */
class SubprotocolSelectionTest extends GatewayTestBase {

  private static final int TEXT = 1;
  private static final int BINARY = 2;

  /** Offers subprotocols; the answer's first frame is the welcome. */
  private BareClient offer(String subprotocols) {
    BareClient upgrade = BareClient.upgrade(vertx, port, "/ws", subprotocols);
    assertEquals(101, upgrade.status(), "the handshake offering " + subprotocols + " was refused");
    return upgrade;
  }

  private static void assertJsonWelcome(BareClient upgrade) {
    BareClient.Frame frame = upgrade.takeFrame();
    upgrade.close();
    assertEquals(TEXT, frame.opcode(), "the welcome is not a text frame");
    JsonObject welcome = new JsonObject(frame.payload());
    assertEquals("welcome", welcome.getString("event"));
    assertTrue(welcome.getJsonObject("data").getString("id").length() > 0);
  }

  private static void assertBinaryWelcome(BareClient upgrade) {
    BareClient.Frame frame = upgrade.takeFrame();
    upgrade.close();
    assertEquals(BINARY, frame.opcode(), "the welcome is not a binary frame");
    DecodeResult decoded = Envelope.decodeBinary(frame.payload());
    assertTrue(decoded.succeeded(), decoded::toString);
    assertEquals("welcome", decoded.envelope().event());
    assertTrue(((JsonObject) decoded.envelope().data()).getString("id").length() > 0);
  }

  @Test
  void offeringTheBinarySubprotocolSelectsItAndTheWelcomeIsBinary() {
    BareClient upgrade = offer("roomcast.v1.bin");
    assertEquals("roomcast.v1.bin", upgrade.subprotocol());
    assertBinaryWelcome(upgrade);
  }

  @Test
  void offeringTheJsonSubprotocolSelectsItAndTheWelcomeIsJson() {
    BareClient upgrade = offer("roomcast.v1.json");
    assertEquals("roomcast.v1.json", upgrade.subprotocol());
    assertJsonWelcome(upgrade);
  }

  @Test
  void offeringNoSubprotocolSelectsNoneAndServesJson() {
    BareClient upgrade = offer(null);
    assertNull(upgrade.subprotocol());
    assertJsonWelcome(upgrade);
  }

  @Test
  void offeringOnlyAnotherSubprotocolSelectsNoneAndServesJson() {
    BareClient upgrade = offer("other");
    assertNull(upgrade.subprotocol());
    assertJsonWelcome(upgrade);
  }

  @Test
  void theBinarySubprotocolIsSelectedAfterAnUnknownOne() {
    BareClient upgrade = offer("other, roomcast.v1.bin");
    assertEquals("roomcast.v1.bin", upgrade.subprotocol());
    assertBinaryWelcome(upgrade);
  }

  @Test
  void theSelectedSubprotocolDecidesTheEncodingOfDeliveries() {
    TestClient binary = connect("other", "roomcast.v1.bin");
    TestClient json = connect("roomcast.v1.json");
    TestClient none = connect();
    assertEquals("roomcast.v1.bin", binary.subProtocol());
    assertEquals("roomcast.v1.json", json.subProtocol());
    assertNull(none.subProtocol());
    hub.broadcast("root", "notice", new JsonObject().put("n", 1));
    Msg toBinary = binary.takeEvent("notice");
    assertTrue(toBinary.binary());
    assertEquals(new JsonObject().put("n", 1), toBinary.data());
    for (TestClient c : new TestClient[] {json, none}) {
      Msg m = c.takeEvent("notice");
      assertFalse(m.binary());
      assertEquals(new JsonObject().put("n", 1), m.data());
    }
  }
}

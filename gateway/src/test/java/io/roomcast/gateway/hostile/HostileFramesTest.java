package io.roomcast.gateway.hostile;

import io.roomcast.gateway.testing.RawSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static io.roomcast.gateway.testing.RawSocketClient.BINARY;
import static io.roomcast.gateway.testing.RawSocketClient.CLOSE;
import static io.roomcast.gateway.testing.RawSocketClient.CONTINUATION;
import static io.roomcast.gateway.testing.RawSocketClient.PING;
import static io.roomcast.gateway.testing.RawSocketClient.PONG;
import static io.roomcast.gateway.testing.RawSocketClient.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Frames that break RFC 6455, and close frames: each closes the attacker with the code the RFC
 * names, and harms no one.
 */
class HostileFramesTest extends HostileInputTestBase {

  @Test
  void aReservedDataOpcodeClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, 0x3, bytes("{}"), true), 1002);
  }

  @Test
  void aReservedControlOpcodeClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, 0xB, new byte[0], true), 1002);
  }

  @ParameterizedTest(name = "RSV bits {0}")
  @ValueSource(ints = {1, 2, 4, 7})
  void reservedBitsWithoutAnExtensionCloseWith1002(int rsv) {
    assertFrameCloses(RawSocketClient.frame(true, rsv, TEXT, bytes("{\"event\":\"ping\"}"), true), 1002);
  }

  @Test
  void anUnmaskedClientFrameClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, TEXT, bytes("{\"event\":\"ping\"}"), false), 1002);
  }

  @ParameterizedTest(name = "opcode {0}")
  @ValueSource(ints = {PING, PONG, CLOSE})
  void aControlFrameOver125BytesClosesWith1002(int opcode) {
    byte[] payload = new byte[126];
    payload[0] = 0x03;
    payload[1] = (byte) 0xE8;
    assertFrameCloses(RawSocketClient.frame(true, 0, opcode, payload, true), 1002);
  }

  @Test
  void aFragmentedPingClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(false, 0, PING, bytes("half"), true), 1002);
  }

  @Test
  void aContinuationFrameWithNothingToContinueClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, CONTINUATION, bytes("orphan"), true), 1002);
  }

  @Test
  void aNewMessageInsideAFragmentedOneClosesWith1002() {
    try (RawSocketClient c = attacker()) {
      c.sendFrame(false, TEXT, bytes("{\"event\":"));
      // The pong proves the first fragment was read on its own: Vert.x drops the connection
      // without a close frame when a violation follows another frame in the same read.
      c.sendFrame(true, PING, bytes("between"));
      assertEquals("between", c.readUntil(PONG).text());
      c.write(RawSocketClient.frame(true, 0, BINARY, bytes("interleaved"), true));
      assertEquals(1002, c.awaitClose());
    }
    assertUnharmed();
  }

  @Test
  void aViolationReadTogetherWithAnEarlierFrameDropsTheConnection() {
    try (RawSocketClient c = attacker()) {
      c.write(concat(
        RawSocketClient.frame(false, 0, TEXT, bytes("{\"event\":"), true),
        RawSocketClient.frame(true, 0, BINARY, bytes("interleaved"), true)));
      // Vert.x closes the TCP connection right after a decoding error; the 1002 the gateway
      // answers is still unflushed when an earlier frame of the same read is (Autobahn: NON-STRICT).
      assertEquals(-1, c.awaitClose());
    }
    assertUnharmed();
  }

  @Test
  void aLengthNotInItsShortestEncodingClosesWith1002() {
    // Five bytes announced with the two-byte extended length that is meant for 126 and more.
    assertFrameCloses(header(0x81, 0x80 | 126, 0x00, 0x05, 1, 2, 3, 4), 1002);
  }

  @Test
  void aLengthWithItsTopBitSetClosesWith1002() {
    assertFrameCloses(header(0x81, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4), 1002);
  }

  @Test
  void aFrameAnnouncingFourExbibytesClosesWith1009BeforeAnyOfItArrives() {
    assertFrameCloses(header(0x82, 0x80 | 127, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4), 1009);
  }



  @ParameterizedTest(name = "close code {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999})
  void aCloseFrameWithAReservedOrUnassignedCodeClosesWith1002(int code) {
    assertFrameCloses(RawSocketClient.frame(true, 0, CLOSE, closePayload(code, new byte[0]), true), 1002);
  }

  @Test
  void aCloseReasonOfInvalidUtf8ClosesWith1007() {
    byte[] reason = {'b', 'y', 'e', (byte) 0xC3, 0x28};
    assertFrameCloses(RawSocketClient.frame(true, 0, CLOSE, closePayload(1000, reason), true), 1007);
  }

  @Test
  void aCloseFrameOfOneByteClosesWith1002() {
    assertFrameCloses(RawSocketClient.frame(true, 0, CLOSE, new byte[] {0x03}, true), 1002);
  }

  @Test
  void aCloseCodeAbove4999IsAnsweredWithTheSameCodeAndLeavesNothingBehind() {
    // Codes from 5000 are undefined; Vert.x answers a close frame with its code before the
    // gateway sees it (Autobahn 7.13.x rates this INFORMATIONAL). What matters: nothing is left.
    assertFrameCloses(RawSocketClient.frame(true, 0, CLOSE, closePayload(5000, new byte[0]), true), 5000);
  }
}

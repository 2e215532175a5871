package io.roomcast.gateway.protocol;

import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;
import io.vertx.core.buffer.Buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BinaryProtocolTest extends ProtocolContractTest {

  @Override
  protected Wire wire() {
    return Wire.BINARY;
  }

  @Override
  protected void sendGarbage(TestClient c) {
    c.sendBinary(Buffer.buffer().appendInt(1000).appendString("short"));
    Msg error = c.takeEvent("error");
    assertEquals("bad_request", error.errorCode());
  }
}

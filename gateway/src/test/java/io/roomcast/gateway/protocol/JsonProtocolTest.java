package io.roomcast.gateway.protocol;

import io.roomcast.gateway.testing.Msg;
import io.roomcast.gateway.testing.TestClient;
import io.roomcast.gateway.testing.Wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonProtocolTest extends ProtocolContractTest {

  @Override
  protected Wire wire() {
    return Wire.JSON;
  }

  @Override
  protected void sendGarbage(TestClient c) {
    c.sendText("{not json");
    Msg error = c.takeEvent("error");
    assertEquals("bad_request", error.errorCode());
  }
}

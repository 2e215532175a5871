package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadTest {

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  @Test
  void payloadIsFoundInEveryServersEnvelope() {
    String data = Payload.json(7, 123_456_789L, 987_654_321_012L, Payload.padding(64));
    for (String frame : new String[] {
      "{\"event\":\"m\",\"room\":\"bench-1\",\"from\":\"n1.0.3\",\"data\":" + data + "}",
      "42[\"m\",{\"room\":\"bench-1\",\"from\":\"AbC_d-1\",\"data\":" + data + "}]"}) {
      Payload.Fields f = new Payload.Fields();
      assertTrue(Payload.read(text(frame), f), frame);
      assertEquals(7, f.publisher);
      assertEquals(123_456_789L, f.sequence);
      assertEquals(987_654_321_012L, f.sent);
    }
  }

  @Test
  void paddingBringsThePayloadToAboutTheSizeAsked() {
    int length = Payload.json(12, 1_234_567, 123_456_789_012L, Payload.padding(100)).length();
    assertTrue(length >= 95 && length <= 105, "length " + length);
  }

  @Test
  void framesWithoutAPayloadAreNotDeliveries() {
    Payload.Fields f = new Payload.Fields();
    assertFalse(Payload.read(text("{\"event\":\"chat\",\"data\":{\"text\":\"hi\"}}"), f));
    assertFalse(Payload.read(text("{\"event\":\"m\",\"data\":{\"p\":1,\"s\":"), f));
    assertFalse(Payload.read(text("{\"p\":x}"), f));
  }
}

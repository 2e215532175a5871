package io.roomcast.gateway.impl.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;

/**
 * Carries {@link Delivery} on the event bus. Locally the same immutable object is handed to every
 * consumer (no copy); between nodes it is written once per destination node.
 */
public final class DeliveryCodec implements MessageCodec<Delivery, Delivery> {

  /** The codec's name, the same on every node. */
  public static final String NAME = "roomcast.delivery";

  private static final Delivery.Kind[] KINDS = Delivery.Kind.values();

  @Override
  public void encodeToWire(Buffer buffer, Delivery d) {
    buffer.appendByte((byte) d.kind().ordinal());
    buffer.appendByte((byte) (d.binaryPayload() ? 1 : 0));
    buffer.appendInt(d.closeCode());
    buffer.appendLong(d.publishedAt());
    writeString(buffer, d.room());
    writeString(buffer, d.event());
    writeString(buffer, d.from());
    writeString(buffer, d.to());
    writeString(buffer, d.exclude());
    Buffer payload = d.payload();
    if (payload == null) {
      buffer.appendInt(-1);
    } else {
      buffer.appendInt(payload.length()).appendBuffer(payload);
    }
  }

  @Override
  public Delivery decodeFromWire(int pos, Buffer buffer) {
    int[] at = {pos};
    Delivery.Kind kind = KINDS[buffer.getByte(at[0]++)];
    boolean binary = buffer.getByte(at[0]++) == 1;
    int closeCode = buffer.getInt(at[0]);
    at[0] += 4;
    long publishedAt = buffer.getLong(at[0]);
    at[0] += 8;
    String room = readString(buffer, at);
    String event = readString(buffer, at);
    String from = readString(buffer, at);
    String to = readString(buffer, at);
    String exclude = readString(buffer, at);
    int length = buffer.getInt(at[0]);
    at[0] += 4;
    Buffer payload = length < 0 ? null : buffer.getBuffer(at[0], at[0] + length);
    return Delivery.of(kind, room, event, from, to, exclude, payload, binary, closeCode, publishedAt);
  }

  @Override
  public Delivery transform(Delivery d) {
    return d;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  private static void writeString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
    } else {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(bytes.length).appendBytes(bytes);
    }
  }

  private static String readString(Buffer buffer, int[] at) {
    int length = buffer.getInt(at[0]);
    at[0] += 4;
    if (length < 0) {
      return null;
    }
    String s = buffer.getString(at[0], at[0] + length, "UTF-8");
    at[0] += length;
    return s;
  }
}

package io.roomcast.gateway.impl.bus;

import io.roomcast.gateway.impl.codec.ServerFrames;
import io.vertx.core.buffer.Buffer;

/**
 * A message for clients: to the members of a room, or to one client. Immutable; its frames are
 * encoded on first use and kept, so a fan-out encodes once per node and per encoding however many
 * members it reaches.
 */
public abstract sealed class Delivery implements BusMessage permits RoomDelivery, DirectDelivery {

  private final String event;
  private final String from;
  private final Buffer payload;
  private final boolean binaryPayload;
  private final long publishedAt;

  private volatile byte[] jsonFrame;
  private volatile Buffer binaryFrame;

  Delivery(String event, String from, Buffer payload, boolean binaryPayload, long publishedAt) {
    this.event = event;
    this.from = from;
    this.payload = payload;
    this.binaryPayload = binaryPayload;
    this.publishedAt = publishedAt;
  }

  /** @return the event */
  public final String event() {
    return event;
  }

  /** @return the sending client, or {@code null} when the server sent it */
  public final String from() {
    return from;
  }

  /** @return the payload: JSON text, or opaque bytes when {@link #binaryPayload()}; {@code null} for none */
  public final Buffer payload() {
    return payload;
  }

  /** @return whether the payload is opaque bytes (from a binary envelope) rather than JSON text */
  public final boolean binaryPayload() {
    return binaryPayload;
  }

  /**
   * @return when the message was published, in wall-clock ms of the publishing node; the
   *     delivery-latency metric compares it with the delivering node's clock, so clock skew
   *     between machines shows in it
   */
  public final long publishedAt() {
    return publishedAt;
  }

  /** @return the room, or {@code null} for a direct message */
  public abstract String room();

  /** @return the message's offset in its room's history, {@code 0} when it has none */
  public long offset() {
    return 0;
  }

  /** @return the epoch of its room's history, {@code null} when it has no position */
  public String epoch() {
    return null;
  }

  /**
   * @return the UTF-8 text of the frame for JSON clients, encoded once and shared by every
   *     member it is written to: never modify it
   */
  public final byte[] jsonFrame() {
    byte[] frame = jsonFrame;
    if (frame == null) {
      // A race encodes twice and keeps either copy: both are equal.
      frame = ServerFrames.jsonData(event, room(), from, payload, binaryPayload, offset(), epoch());
      jsonFrame = frame;
    }
    return frame;
  }

  /** @return the binary envelope of the frame for binary clients, encoded once */
  public final Buffer binaryFrame() {
    Buffer frame = binaryFrame;
    if (frame == null) {
      frame = ServerFrames.binaryData(event, room(), from, payload, offset(), epoch());
      binaryFrame = frame;
    }
    return frame;
  }
}

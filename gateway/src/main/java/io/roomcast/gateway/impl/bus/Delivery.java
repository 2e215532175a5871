package io.roomcast.gateway.impl.bus;

import io.roomcast.gateway.impl.codec.ServerFrames;
import io.vertx.core.buffer.Buffer;

/**
 * What travels on the event bus between shards and nodes: a message for clients, or a command
 * for the shard that holds a client. Immutable; the frames for clients are encoded on first use
 * and kept, so a fan-out encodes once per node and per encoding however many members it reaches.
 */
public final class Delivery {

  /** The kinds of delivery. */
  public enum Kind {
    /** To every member of {@link #room()} but {@link #exclude()}. */
    ROOM,
    /** To the client {@link #to()}. */
    DIRECT,
    /** Make {@link #to()} a member of {@link #room()}. */
    JOIN,
    /** Make {@link #to()} leave {@link #room()}. */
    LEAVE,
    /** Close {@link #to()}; the close code is in {@link #closeCode()}, the reason in {@link #event()}. */
    CLOSE,
    /** A cluster probe on a room address: {@link #from()} is the probing node, {@link #event()} the token. */
    PROBE
  }

  private final Kind kind;
  private final String room;
  private final String event;
  private final String from;
  private final String to;
  private final String exclude;
  private final Buffer payload;
  private final boolean binaryPayload;
  private final int closeCode;
  private final long publishedAt;

  private volatile byte[] jsonFrame;
  private volatile Buffer binaryFrame;

  private Delivery(Kind kind, String room, String event, String from, String to, String exclude, Buffer payload, boolean binaryPayload, int closeCode,
      long publishedAt) {
    this.kind = kind;
    this.room = room;
    this.event = event;
    this.from = from;
    this.to = to;
    this.exclude = exclude;
    this.payload = payload;
    this.binaryPayload = binaryPayload;
    this.closeCode = closeCode;
    this.publishedAt = publishedAt;
  }

  /** A message to a room, from a client ({@code from}) or the server ({@code null}). */
  public static Delivery room(String room, String event, String from, String exclude, Buffer payload, boolean binaryPayload) {
    return new Delivery(Kind.ROOM, room, event, from, null, exclude, payload, binaryPayload, 0, System.currentTimeMillis());
  }

  /** A direct message to one client. */
  public static Delivery direct(String to, String event, String from, Buffer payload, boolean binaryPayload) {
    return new Delivery(Kind.DIRECT, null, event, from, to, null, payload, binaryPayload, 0, System.currentTimeMillis());
  }

  /** A command for the shard holding {@code to}: join or leave {@code room}. */
  public static Delivery membership(boolean join, String to, String room) {
    return new Delivery(join ? Kind.JOIN : Kind.LEAVE, room, null, null, to, null, null, false, 0, 0);
  }

  /** A command for the shard holding {@code to}: close it. */
  public static Delivery close(String to, int code, String reason) {
    return new Delivery(Kind.CLOSE, null, reason, null, to, null, null, false, code, 0);
  }

  /** A probe published on a room address, to learn when a node's view includes a subscription. */
  public static Delivery probe(String room, String node, String token) {
    return new Delivery(Kind.PROBE, room, token, node, null, null, null, false, 0, 0);
  }

  static Delivery of(Kind kind, String room, String event, String from, String to, String exclude, Buffer payload, boolean binaryPayload, int closeCode,
      long publishedAt) {
    return new Delivery(kind, room, event, from, to, exclude, payload, binaryPayload, closeCode, publishedAt);
  }

  public Kind kind() {
    return kind;
  }

  public String room() {
    return room;
  }

  public String event() {
    return event;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }

  public String exclude() {
    return exclude;
  }

  public Buffer payload() {
    return payload;
  }

  public boolean binaryPayload() {
    return binaryPayload;
  }

  public int closeCode() {
    return closeCode;
  }

  /**
   * @return when a room or direct message was published, in wall-clock ms of the publishing
   *     node ({@code 0} for commands and probes); the delivery-latency metric compares it with the
   *     delivering node's clock, so clock skew between machines shows in it
   */
  public long publishedAt() {
    return publishedAt;
  }

  /**
   * @return the UTF-8 text of the frame for JSON clients, encoded once and shared by every
   *     member it is written to: never modify it
   */
  public byte[] jsonFrame() {
    byte[] frame = jsonFrame;
    if (frame == null) {
      // A race encodes twice and keeps either copy: both are equal.
      frame = ServerFrames.jsonData(event, room, from, payload, binaryPayload);
      jsonFrame = frame;
    }
    return frame;
  }

  /** @return the UTF-8 size of a string, without encoding it */
  public static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          // A surrogate pair is 4 bytes for 2 chars.
          bytes += 2;
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  /** @return the binary envelope of the frame for binary clients, encoded once */
  public Buffer binaryFrame() {
    Buffer frame = binaryFrame;
    if (frame == null) {
      frame = ServerFrames.binaryData(event, room, from, payload);
      binaryFrame = frame;
    }
    return frame;
  }

  @Override
  public String toString() {
    return "Delivery[" + kind + (room != null ? " room=" + room : "") + (event != null ? " event=" + event : "")
      + (from != null ? " from=" + from : "") + (to != null ? " to=" + to : "") + "]";
  }
}

package io.roomcast.gateway.impl.bus;

import io.vertx.core.buffer.Buffer;

/**
 * A message to every member of a room but one ({@link #exclude()}, usually the sender). In a room
 * with history it carries its position: the room's {@link #offset()} and {@link #epoch()}.
 */
public final class RoomDelivery extends Delivery {

  private final String room;
  private final String exclude;
  private final long offset;
  private final String epoch;

  /**
   * @param room the room
   * @param event the event
   * @param from the sending client, or {@code null} for the server
   * @param exclude the member left out, or {@code null}
   * @param payload the payload, or {@code null}
   * @param binaryPayload whether the payload is opaque bytes
   */
  public RoomDelivery(String room, String event, String from, String exclude, Buffer payload, boolean binaryPayload) {
    this(room, event, from, exclude, payload, binaryPayload, System.currentTimeMillis(), 0, null);
  }

  RoomDelivery(String room, String event, String from, String exclude, Buffer payload, boolean binaryPayload, long publishedAt,
      long offset, String epoch) {
    super(event, from, payload, binaryPayload, publishedAt);
    this.room = room;
    this.exclude = exclude;
    this.offset = offset;
    this.epoch = epoch;
  }

  /**
   * A message read back from a room's history.
   *
   * @return the message at its position, published when it first was
   */
  public static RoomDelivery kept(String room, String event, String from, String exclude, Buffer payload, boolean binaryPayload,
      long publishedAt, long offset, String epoch) {
    return new RoomDelivery(room, event, from, exclude, payload, binaryPayload, publishedAt, offset, epoch);
  }

  /**
   * @param offset the room's offset for this message (1, 2, 3...)
   * @param epoch the room's epoch
   * @return this message at that position in the room's history
   */
  public RoomDelivery at(long offset, String epoch) {
    return new RoomDelivery(room, event(), from(), exclude, payload(), binaryPayload(), publishedAt(), offset, epoch);
  }

  /** @return the message's offset in its room's history, or {@code 0} in a room without history */
  @Override
  public long offset() {
    return offset;
  }

  /** @return the epoch of the room's history, or {@code null} in a room without history */
  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public String room() {
    return room;
  }

  /** @return the member left out, or {@code null} */
  public String exclude() {
    return exclude;
  }

  @Override
  public String toString() {
    return "RoomDelivery[room=" + room + " event=" + event() + (from() != null ? " from=" + from() : "")
      + (epoch != null ? " offset=" + offset + " epoch=" + epoch : "") + "]";
  }
}

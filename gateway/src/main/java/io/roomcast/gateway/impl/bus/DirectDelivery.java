package io.roomcast.gateway.impl.bus;

import io.vertx.core.buffer.Buffer;

/** A message to one client, sent to the shard that holds it. */
public final class DirectDelivery extends Delivery {

  private final String to;

  /**
   * @param to the client
   * @param event the event
   * @param from the sending client, or {@code null} for the server
   * @param payload the payload, or {@code null}
   * @param binaryPayload whether the payload is opaque bytes
   */
  public DirectDelivery(String to, String event, String from, Buffer payload, boolean binaryPayload) {
    this(to, event, from, payload, binaryPayload, System.currentTimeMillis());
  }

  DirectDelivery(String to, String event, String from, Buffer payload, boolean binaryPayload, long publishedAt) {
    super(event, from, payload, binaryPayload, publishedAt);
    this.to = to;
  }

  /** @return the client */
  public String to() {
    return to;
  }

  @Override
  public String room() {
    return null;
  }

  @Override
  public String toString() {
    return "DirectDelivery[to=" + to + " event=" + event() + (from() != null ? " from=" + from() : "") + "]";
  }
}

package io.roomcast.gateway.impl;

import io.roomcast.gateway.Encoding;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.impl.bus.Delivery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A connection of a hub: it reads envelopes and is written deliveries. Its rooms are confined to
 * its shard's event loop; {@link #rooms()} is a snapshot that any thread may read.
 */
final class HubConnection extends WebSocketConnection implements MessageAssembler.Sink {

  private final HubShard shard;
  private final Set<String> rooms = new LinkedHashSet<>();
  private volatile Set<String> roomsSnapshot = Set.of();
  final MessageAssembler assembler;

  HubConnection(HubShard shard, ServerWebSocket ws, String id, HandshakeImpl handshake, JsonObject claims) {
    super(ws, id, shard.node(), handshake, claims);
    this.shard = shard;
    this.assembler = new MessageAssembler(shard.hub().options().getMaxMessageSize(), this);
  }

  @Override
  public String hub() {
    return shard.hub().name();
  }

  @Override
  public Set<String> rooms() {
    return roomsSnapshot;
  }

  HubShard shard() {
    return shard;
  }

  boolean isMember(String room) {
    return rooms.contains(room);
  }

  boolean addRoom(String room) {
    boolean added = rooms.add(room);
    if (added) {
      roomsSnapshot = Set.copyOf(rooms);
    }
    return added;
  }

  boolean removeRoom(String room) {
    boolean removed = rooms.remove(room);
    if (removed) {
      roomsSnapshot = Set.copyOf(rooms);
    }
    return removed;
  }

  /** @return the rooms in joining order (live view, shard thread only) */
  Set<String> joinedRooms() {
    return rooms;
  }

  /** Writes a room or direct message, encoded once per delivery and encoding. */
  void deliver(Delivery d) {
    if (isClosed()) {
      return;
    }
    if (encoding() == Encoding.JSON) {
      writeText(d.jsonFrame());
    } else {
      writeBinary(d.binaryFrame());
    }
  }

  void sendWelcome() {
    JsonObject data = new JsonObject()
      .put("id", id())
      .put("node", node())
      .put("rooms", new JsonArray(java.util.List.copyOf(rooms)));
    writeData("welcome", null, null, data.toBuffer(), false);
  }

  @Override
  public void onText(Buffer utf8) {
    shard.hub().dispatcher().dispatch(this, Envelope.decodeJson(utf8), false);
  }

  @Override
  public void onBinary(Buffer data) {
    shard.hub().dispatcher().dispatch(this, Envelope.decodeBinary(data), true);
  }

  @Override
  public void onViolation(short closeCode, String reason) {
    close(closeCode, reason);
  }
}

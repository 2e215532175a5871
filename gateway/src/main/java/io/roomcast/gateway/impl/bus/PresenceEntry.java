package io.roomcast.gateway.impl.bus;

/**
 * A connection in a presence room, as its node announces it.
 *
 * @param room the room
 * @param client the client id
 * @param user the connection's user, or {@code null}
 * @param info the JSON text of what the client gave on {@code join}, or {@code null}
 */
public record PresenceEntry(String room, String client, String user, String info) {
}

package io.roomcast.gateway.impl.bus;

/**
 * A connection joined or left a presence room: published by its node on the room's relay
 * partition, so every node applies it to its replica of the room's roster. Each node numbers the
 * changes of each partition ({@link #seq()}: 1, 2, 3...), so that a replica sees a gap, and knows
 * which changes a {@link PresenceSnapshot} already holds.
 *
 * @param origin the node that holds the connection
 * @param seq the change's number among the origin's changes in this partition
 * @param joined {@code true} for a join, {@code false} for a leave
 * @param entry the connection (a leave carries no info)
 */
public record PresenceChange(String origin, long seq, boolean joined, PresenceEntry entry) implements BusMessage {
}

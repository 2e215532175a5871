package io.roomcast.gateway.impl.bus;

import java.util.List;

/**
 * Every connection one node holds in the presence rooms of one relay partition, sent to a node
 * that asked for it ({@link Question.PresenceSync}): the replica replaces what it held of the
 * origin's with it.
 *
 * @param origin the node that holds the connections
 * @param partition the relay partition
 * @param seq the number of the origin's last change in this partition that the snapshot holds
 * @param entries the connections
 */
public record PresenceSnapshot(String origin, int partition, long seq, List<PresenceEntry> entries) implements BusMessage {
}

package io.roomcast.gateway.impl.bus;

import java.util.List;

/**
 * Several of one node's {@link PresenceChange}s of one relay partition, in their order: what the
 * partition's event loop produced in one turn goes out as one publish, so that a burst of joins
 * (a reconnect storm, a big room filling up) costs a message per turn, not per join.
 *
 * @param changes the changes, numbered one after the other
 */
public record PresenceBatch(List<PresenceChange> changes) implements BusMessage {
}

package io.roomcast.gateway.impl.bus;

/**
 * Everything Roomcast sends on the event bus, one type per purpose. {@link BusCodec} writes them
 * between nodes with a wire version and an explicit tag per type, so that adding or reordering
 * types never changes how an existing one is read.
 */
public sealed interface BusMessage permits Delivery, ShardCommand, Probe, Probe.Request, Probe.Seen, Question, Unreadable, Attached,
    PresenceChange, PresenceBatch, PresenceSnapshot {
}

package io.roomcast.gateway.impl.bus;

/**
 * What a node makes of a message it cannot read: one written by a node of another wire version,
 * or of a type this version does not know. Receivers drop it ({@link BusCodec} has logged it once).
 *
 * @param version the wire version the message carried
 * @param tag the type tag it carried
 */
public record Unreadable(int version, int tag) implements BusMessage {
}

package io.roomcast.gateway.impl.bus;

import java.util.List;

/**
 * Sent on a room's address on this node only, in line with the room's deliveries: from here on the
 * member that asked to attach ({@link #token()}) receives the room's messages. The messages it
 * recovers come with it, so that nothing falls between them and the live ones.
 *
 * @param token the attach request this answers
 * @param offset the offset of the last message before the membership took effect
 * @param epoch the room's epoch
 * @param recovered whether the member's {@code since} was recovered; {@code null} when it gave none
 * @param recovery the messages after its {@code since}, in offset order
 * @param failure why the room could not be attached, or {@code null}
 */
public record Attached(long token, long offset, String epoch, Boolean recovered, List<RoomDelivery> recovery, String failure)
    implements BusMessage {

  /** @return a refusal of an attach request */
  public static Attached failed(long token, String failure) {
    return new Attached(token, 0, null, null, List.of(), failure);
  }
}

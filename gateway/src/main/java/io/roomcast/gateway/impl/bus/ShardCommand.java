package io.roomcast.gateway.impl.bus;

/** A command for the shard that holds a client, sent to the shard's address. */
public sealed interface ShardCommand extends BusMessage {

  /** @return the client the command is about */
  String client();

  /** Make the client a member of a room; answered once the membership is in effect. */
  record Join(String client, String room) implements ShardCommand {
  }

  /** Make the client leave a room. */
  record Leave(String client, String room) implements ShardCommand {
  }

  /** Close the client's connection. */
  record Close(String client, int code, String reason) implements ShardCommand {
  }
}

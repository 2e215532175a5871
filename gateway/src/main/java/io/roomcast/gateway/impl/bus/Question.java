package io.roomcast.gateway.impl.bus;

/**
 * A cluster-wide question about a hub, asked of every live node's mailbox; each node answers for
 * its own connections with a JSON object that names it under {@code node}.
 */
public sealed interface Question extends BusMessage {

  /** Each room with members on the node and how many: {@code {"rooms":{R:N,...}}}. */
  record Rooms() implements Question {
  }

  /** The node's members of a room: {@code {"clients":[ID,...]}}. */
  record Clients(String room) implements Question {
  }

  /** How many members a room has on the node: {@code {"members":N}}. */
  record Size(String room) implements Question {
  }

  /** The node's connections: {@code {"count":N}}. */
  record Count() implements Question {
  }

  /** The node itself: its description, counts, start time, uptime and whether it drains. */
  record Info() implements Question {
  }

  /** The node's counters, and with {@code roomNames} the names of its rooms. */
  record Stats(boolean roomNames) implements Question {
  }

  /**
   * Asks a node to send, from each relay partition, a {@link PresenceSnapshot} of its own presence
   * entries to the {@code requester}'s presence address; answered {@code {}} once they are sent.
   */
  record PresenceSync(String requester) implements Question {
  }

  /** The node's connections of a user: {@code {"clients":[ID,...]}}. */
  record UserConnections(String user) implements Question {
  }

  /** Closes the node's connections of a user with 1008 {@code kicked}: {@code {"kicked":N}}. */
  record KickUser(String user) implements Question {
  }
}

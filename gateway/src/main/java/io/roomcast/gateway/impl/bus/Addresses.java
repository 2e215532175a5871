package io.roomcast.gateway.impl.bus;

/**
 * Event-bus addresses of a hub. Clients never name addresses: they are derived from validated
 * hub, room and node names, all under {@code roomcast.<hub>.}, so no client input reaches
 * another hub's addresses or Vert.x's own ({@code __vertx.*}).
 */
public final class Addresses {

  /** Where every node publishes its heartbeat. */
  public static final String NODES = "roomcast.nodes";

  private final String roomPrefix;
  private final String nodePrefix;
  private final String probePrefix;
  private final String relayPrefix;
  private final String presencePrefix;
  private final String users;
  private final String api;

  /** @param hub a validated hub name (no '.') */
  public Addresses(String hub) {
    this.roomPrefix = "roomcast." + hub + ".room.";
    this.nodePrefix = "roomcast." + hub + ".node.";
    this.probePrefix = "roomcast." + hub + ".probe.";
    this.relayPrefix = "roomcast." + hub + ".relay.";
    this.presencePrefix = "roomcast." + hub + ".presence.";
    this.users = "roomcast." + hub + ".users";
    this.api = "roomcast." + hub + ".api";
  }

  /** @return the address of a room on one node: its consumers are the shards holding members of it */
  public String room(String room) {
    return roomPrefix + room;
  }

  /** @return the address of a relay partition: every node consumes it, and a publish on it reaches every node once */
  public String relay(int partition) {
    return relayPrefix + partition;
  }

  /** @return the address where a node takes requests to probe, and hears that its probes arrived */
  public String probes(String nodeId) {
    return probePrefix + nodeId;
  }

  /** @return the address where a node answers cluster-wide questions for this hub */
  public String node(String nodeId) {
    return nodePrefix + nodeId;
  }

  /** @return the address of one shard (event loop) of a node: direct messages and commands */
  public String shard(String nodeId, int shard) {
    return nodePrefix + nodeId + "." + shard;
  }

  /** @return the address where a node takes the presence snapshots it asked other nodes for */
  public String presence(String nodeId) {
    return presencePrefix + nodeId;
  }

  /** @return the address every node consumes to deliver a message to its own connections of a user */
  public String users() {
    return users;
  }

  /** @return the address where services give the hub commands (docs/SERVICES.md) */
  public String api() {
    return api;
  }
}

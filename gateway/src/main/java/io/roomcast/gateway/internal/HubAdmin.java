package io.roomcast.gateway.internal;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.RoomInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The cluster-wide questions of the management API about one hub. Unlike the hub API, every
 * answer says which live nodes did not answer in time ({@link ClusterAnswer#missing()}).
 */
public interface HubAdmin {

  /**
   * @return every live node: {@code node}, the fields the node describes itself with
   *     ({@code address}, {@code management}), this hub's {@code connections} and {@code rooms} on
   *     it, {@code startedAt}, {@code uptimeMs}, {@code draining}, and {@code self} for the node
   *     that answers; sorted by node id
   */
  Future<ClusterAnswer<JsonArray>> nodes();

  /** @return every room with members anywhere and its member count, sorted by name */
  Future<ClusterAnswer<List<RoomInfo>>> rooms();

  /**
   * @param room a valid room name
   * @return the room's members and their nodes, sorted by id
   */
  Future<ClusterAnswer<List<ClientInfo>>> members(String room);

  /**
   * @param room a valid room name
   * @return how many members the room has, cluster-wide
   */
  Future<ClusterAnswer<Long>> size(String room);

  /**
   * @return the hub's counters: the cluster's totals at the top level ({@code rooms} there counts
   *     distinct rooms), and each node's under {@code nodes}
   */
  Future<ClusterAnswer<JsonObject>> stats();

  /**
   * @param user a user
   * @return the user's connections on every node
   */
  Future<ClusterAnswer<List<ClientInfo>>> connectionsOf(String user);

  /**
   * Closes every connection of a user with 1008 {@code kicked}.
   *
   * @param user a user
   * @return how many connections were closed
   */
  Future<ClusterAnswer<Long>> kickUser(String user);
}

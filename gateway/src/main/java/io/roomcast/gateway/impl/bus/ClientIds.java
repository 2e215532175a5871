package io.roomcast.gateway.impl.bus;

import io.roomcast.gateway.impl.codec.Names;

/**
 * Client ids carry where their connection lives: {@code <node>.<shard>.<sequence>}. A direct
 * message goes straight to that shard's address, with no cluster-wide lookup and nothing written
 * to the cluster when a client connects. Node ids are random per process, so ids are unique for
 * the cluster's life.
 */
public final class ClientIds {

  private ClientIds() {
  }

  /**
   * @param node the node id
   * @param shard the shard index
   * @param sequence the shard's connection counter
   * @return the client id
   */
  public static String format(String node, int shard, long sequence) {
    return node + '.' + shard + '.' + Long.toString(sequence, 36);
  }

  /**
   * Where a client id lives.
   *
   * @param node the node id
   * @param shard the shard index on that node
   */
  public record Location(String node, int shard) {
  }

  /**
   * @param id a client id, from anywhere
   * @return where it lives, or {@code null} when it is not a client id of this format
   */
  public static Location parse(String id) {
    if (!Names.isClientId(id)) {
      return null;
    }
    int first = id.indexOf('.');
    int second = first < 0 ? -1 : id.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || id.indexOf('.', second + 1) >= 0 || second == id.length() - 1) {
      return null;
    }
    int shard = 0;
    for (int i = first + 1; i < second; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9' || i - first > 6) {
        return null;
      }
      shard = shard * 10 + (c - '0');
    }
    if (second == first + 1) {
      return null;
    }
    return new Location(id.substring(0, first), shard);
  }
}

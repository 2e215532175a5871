package io.roomcast.gateway.impl.bus;

/**
 * Published on an address to learn when a node's view of the cluster's subscriptions includes a
 * new consumer of it: a probe from {@code node} that reaches the new consumer proves it.
 *
 * @param node the node that published the probe
 * @param token which confirmation the probe serves
 */
public record Probe(String node, String token) implements BusMessage {

  /**
   * Asks a node to publish probes on an address until the asking node hears one ({@link Seen}).
   *
   * @param address the address to probe
   * @param token which confirmation the probes serve
   */
  public record Request(String address, String token) implements BusMessage {
  }

  /**
   * Tells the node that probes that one of its probes arrived: it stops probing.
   *
   * @param token the confirmation that is done with this node
   */
  public record Seen(String token) implements BusMessage {
  }
}

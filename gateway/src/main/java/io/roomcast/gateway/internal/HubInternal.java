package io.roomcast.gateway.internal;

import io.roomcast.gateway.Hub;

/** What a hub of a gateway made by {@code Gateway.create} offers to the node beyond the public API. */
public interface HubInternal extends Hub {

  /**
   * @param hub a hub of a gateway made by {@code Gateway.create}
   * @return its internal side
   * @throws IllegalArgumentException for any other implementation
   */
  static HubInternal of(Hub hub) {
    if (hub instanceof HubInternal internal) {
      return internal;
    }
    throw new IllegalArgumentException("not a hub of a gateway made by Gateway.create: " + hub.getClass().getName());
  }

  /** @return the hub's cluster-wide questions as the management API asks them */
  HubAdmin admin();

  /** @return the hub's counters on this node */
  HubCounters counters();
}

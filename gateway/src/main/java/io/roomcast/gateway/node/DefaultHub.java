package io.roomcast.gateway.node;

import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;
import io.roomcast.gateway.ServiceOptions;

import java.util.List;

/**
 * The hub a node runs when its {@code --conf} names none: {@code default} at {@code /ws}, with the
 * hub defaults, keeping a history of every room (the last {@link HistoryOptions#DEFAULT_SIZE}
 * messages for {@link HistoryOptions#DEFAULT_TTL} ms) and the presence of every room ({@code root}
 * never has either), so that the demo page and a first try show recovery across reconnects and
 * node loss, and who is in a room; and it serves the example order service
 * (examples/order-service, docs/SERVICES.md): {@code order.*} events go to {@code app.orders},
 * and services may publish and send to users on its api address. An embedding application's
 * {@code new HubOptions()} has none of this: history costs a write per publish, presence a
 * publish per join, and what reaches services is the operator's to choose.
 */
public final class DefaultHub {

  /** The pattern of the rooms the default hub keeps a history of: every room ({@code root} never has one). */
  public static final String HISTORY_ROOMS = "*";

  /** The client events the default hub forwards to the example order service (examples/order-service). */
  public static final String ORDER_EVENTS = "order.*";
  /** Where the example order service listens. */
  public static final String ORDER_ADDRESS = "app.orders";
  /** How long the order service has to answer before a client is told {@code unavailable}. */
  public static final long ORDER_TIMEOUT_MS = 3_000;

  /** The pattern of the rooms the default hub keeps the presence of: every room but {@code root}. */
  public static final String PRESENCE_ROOMS = "*";

  private DefaultHub() {
  }

  /** @return a new copy of the node's default hub */
  public static HubOptions options() {
    return new HubOptions().setHistory(List.of(new HistoryOptions(HISTORY_ROOMS))).setPresence(List.of(PRESENCE_ROOMS))
      .setServices(List.of(new ServiceOptions(ORDER_EVENTS, ORDER_ADDRESS).setTimeout(ORDER_TIMEOUT_MS)))
      .setApi(List.of("publish", "sendToUser"));
  }
}

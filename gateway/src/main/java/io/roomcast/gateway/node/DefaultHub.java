package io.roomcast.gateway.node;

import io.roomcast.gateway.HistoryOptions;
import io.roomcast.gateway.HubOptions;

import java.util.List;

/**
 * The hub a node runs when its {@code --conf} names none: {@code default} at {@code /ws}, with the
 * hub defaults, keeping a history of every room (the last {@link HistoryOptions#DEFAULT_SIZE}
 * messages for {@link HistoryOptions#DEFAULT_TTL} ms) and the presence of every room ({@code root}
 * never has either), so that the demo page and a first try show recovery across reconnects and
 * node loss, and who is in a room. An embedding application's {@code new HubOptions()} keeps
 * neither: history costs a write per publish and presence a publish per join, and they are for
 * the operator to choose.
 */
public final class DefaultHub {

  /** The pattern of the rooms the default hub keeps a history of: every room ({@code root} never has one). */
  public static final String HISTORY_ROOMS = "*";

  /** The pattern of the rooms the default hub keeps the presence of: every room but {@code root}. */
  public static final String PRESENCE_ROOMS = "*";

  private DefaultHub() {
  }

  /** @return a new copy of the node's default hub */
  public static HubOptions options() {
    return new HubOptions().setHistory(List.of(new HistoryOptions(HISTORY_ROOMS))).setPresence(List.of(PRESENCE_ROOMS));
  }
}

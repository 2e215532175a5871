package io.roomcast.gateway.node;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.EventContext;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.Hub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The server-side handlers the demo page at {@code /} relies on, installed on every hub of the
 * node:
 * <ul>
 *   <li>{@value #MEMBERS}: a request with a {@code room} the sender is a member of, answered with
 *   {@code {"room":R,"members":[{"id":..,"node":..},..]}}, the room's members on every node that
 *   answered in time; {@code bad_request} without a room, {@code not_member} for a room the
 *   sender is not in, {@code unavailable} when the cluster could not be asked.</li>
 * </ul>
 */
public final class DemoHandlers {

  /** The event that lists the members of a room: {@value}. */
  public static final String MEMBERS = "members";

  private DemoHandlers() {
  }

  /**
   * Registers the demo's handlers on every hub of a gateway.
   *
   * @param gateway the node's gateway
   */
  public static void install(Gateway gateway) {
    for (Hub hub : gateway.hubs()) {
      hub.on(MEMBERS, DemoHandlers::members);
    }
  }

  private static void members(EventContext ctx) {
    String room = ctx.envelope().room();
    if (room == null) {
      ctx.fail(ErrorCode.BAD_REQUEST, "room is required");
      return;
    }
    // Only members may list a room: membership of other rooms is nobody else's business.
    if (!ctx.connection().rooms().contains(room)) {
      ctx.fail(ErrorCode.NOT_MEMBER, "not a member of room \"" + room + "\"");
      return;
    }
    ctx.hub().clients(room).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonArray members = new JsonArray();
        for (ClientInfo client : ar.result()) {
          members.add(client.toJson());
        }
        ctx.reply(new JsonObject().put("room", room).put("members", members));
      } else {
        ctx.fail(ErrorCode.UNAVAILABLE, "the members could not be listed: " + ar.cause().getMessage());
      }
    });
  }
}

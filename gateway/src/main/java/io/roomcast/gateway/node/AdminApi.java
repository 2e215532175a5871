package io.roomcast.gateway.node;

import io.roomcast.gateway.ClientInfo;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.Gateway;
import io.roomcast.gateway.Hub;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.Presence;
import io.roomcast.gateway.RoomInfo;
import io.roomcast.gateway.RoomcastException;
import io.roomcast.gateway.impl.codec.Names;
import io.roomcast.gateway.internal.ClusterAnswer;
import io.roomcast.gateway.internal.HubInternal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The admin API on the management router, cluster-wide: whichever node is asked answers for
 * the whole cluster by asking every live node (see docs/OPERATIONS.md for each endpoint).
 *
 * <p>Status codes: 200 with the answer; 400 for a bad body or name, with the reason; 404 for an
 * unknown client, room, hub or endpoint; 413 for a body over the limit; 503 while the node starts,
 * or when a live node did not answer within the request timeout; then the body names those nodes
 * under {@code missing} and carries what the others answered under the usual key.
 */
final class AdminApi {

  /** The hub asked about when a request names none. */
  static final String DEFAULT_HUB = "default";

  private static final Set<String> BODY_FIELDS = Set.of("event", "data");

  private volatile Gateway gateway;

  /**
   * Mounts the endpoints, each behind the scope it needs (read, publish, send, kick; a body is
   * read first, as Vert.x Web requires, after the bearer's authentication on {@code /admin/*}).
   *
   * @param server the management server (its {@code /admin/*} authorization comes first)
   * @param maxBody the largest request body accepted, in bytes
   */
  void mount(ManagementServer server, long maxBody) {
    Router router = server.router();
    Handler<RoutingContext> read = server.requires("read");
    Handler<RoutingContext> publish = server.requires("publish");
    Handler<RoutingContext> send = server.requires("send");
    Handler<RoutingContext> kick = server.requires("kick");
    router.get("/admin/nodes").handler(read).handler(rc -> withHub(rc, this::nodes));
    router.get("/admin/rooms").handler(read).handler(rc -> withHub(rc, this::rooms));
    router.get("/admin/stats").handler(read).handler(this::stats);
    // Room names may hold '/', so the room is whatever lies between the prefix and the suffix.
    router.postWithRegex("/admin/rooms/(?<room>.+)/publish").handler(BodyHandler.create(false).setBodyLimit(maxBody))
      .handler(publish).handler(rc -> withHub(rc, this::publish));
    router.getWithRegex("/admin/rooms/(?<room>.+)/history").handler(read).handler(rc -> withHub(rc, this::history));
    router.getWithRegex("/admin/rooms/(?<room>.+)/presence").handler(read).handler(rc -> withHub(rc, this::presence));
    router.getWithRegex("/admin/rooms/(?<room>.+)").handler(read).handler(rc -> withHub(rc, this::members));
    router.post("/admin/clients/:id/kick").handler(kick).handler(rc -> withHub(rc, this::kick));
    router.post("/admin/clients/:id/send").handler(BodyHandler.create(false).setBodyLimit(maxBody))
      .handler(send).handler(rc -> withHub(rc, this::send));
    // A user may hold any character: like rooms, it is whatever lies between prefix and suffix.
    router.postWithRegex("/admin/users/(?<user>.+)/kick").handler(kick).handler(rc -> withHub(rc, this::kickUser));
    router.postWithRegex("/admin/users/(?<user>.+)/send").handler(BodyHandler.create(false).setBodyLimit(maxBody))
      .handler(send).handler(rc -> withHub(rc, this::sendToUser));
    router.getWithRegex("/admin/users/(?<user>.+)").handler(read).handler(rc -> withHub(rc, this::connectionsOf));
  }

  /** @param gateway the gateway, once it serves: until then every endpoint answers 503 */
  void gateway(Gateway gateway) {
    this.gateway = gateway;
  }

  private interface HubHandler {
    void handle(RoutingContext rc, HubInternal hub);
  }

  private void withHub(RoutingContext rc, HubHandler handler) {
    Gateway g = gateway;
    if (g == null) {
      ManagementServer.error(rc, 503, "unavailable", "the node is starting");
      return;
    }
    String name = rc.queryParams().get("hub");
    Hub hub = name != null ? find(g, name) : defaultHub(g);
    if (hub == null) {
      ManagementServer.error(rc, 404, "unknown_hub", "no hub named \"" + name + "\"; hubs: " + hubNames(g));
      return;
    }
    handler.handle(rc, HubInternal.of(hub));
  }

  private static Hub find(Gateway g, String name) {
    for (Hub hub : g.hubs()) {
      if (hub.name().equals(name)) {
        return hub;
      }
    }
    return null;
  }

  /** The hub named {@value #DEFAULT_HUB}, else the first one configured. */
  private static Hub defaultHub(Gateway g) {
    Hub hub = find(g, DEFAULT_HUB);
    return hub != null ? hub : g.hubs().get(0);
  }

  private static List<String> hubNames(Gateway g) {
    List<String> names = new ArrayList<>();
    g.hubs().forEach(h -> names.add(h.name()));
    return names;
  }

  // ---- the endpoints ----

  private void nodes(RoutingContext rc, HubInternal hub) {
    answer(rc, hub.admin().nodes(), nodes -> new JsonObject().put("hub", hub.name()).put("nodes", nodes), "nodes");
  }

  private void rooms(RoutingContext rc, HubInternal hub) {
    answer(rc, hub.admin().rooms(), rooms -> {
      JsonArray array = new JsonArray();
      rooms.forEach(r -> array.add(r.toJson()));
      return array;
    }, "rooms");
  }

  private void members(RoutingContext rc, HubInternal hub) {
    String room = room(rc);
    if (room == null) {
      return;
    }
    hub.admin().members(room).onComplete(ar -> {
      if (ar.failed()) {
        failed(rc, ar.cause());
        return;
      }
      ClusterAnswer<List<ClientInfo>> answer = ar.result();
      JsonArray members = new JsonArray();
      answer.value().forEach(c -> members.add(c.toJson()));
      JsonObject body = new JsonObject().put("hub", hub.name()).put("room", room).put("members", members);
      if (!answer.complete()) {
        partial(rc, answer.missing(), body);
      } else if (members.isEmpty()) {
        ManagementServer.error(rc, 404, "unknown_room", "room \"" + room + "\" has no members in hub " + hub.name());
      } else {
        ManagementServer.json(rc, 200, body);
      }
    });
  }

  private void stats(RoutingContext rc) {
    Gateway g = gateway;
    if (g == null) {
      ManagementServer.error(rc, 503, "unavailable", "the node is starting");
      return;
    }
    String name = rc.queryParams().get("hub");
    List<Hub> hubs = new ArrayList<>();
    if (name == null) {
      hubs.addAll(g.hubs());
    } else if (find(g, name) != null) {
      hubs.add(find(g, name));
    } else {
      ManagementServer.error(rc, 404, "unknown_hub", "no hub named \"" + name + "\"; hubs: " + hubNames(g));
      return;
    }
    List<Future<ClusterAnswer<JsonObject>>> parts = new ArrayList<>();
    hubs.forEach(h -> parts.add(HubInternal.of(h).admin().stats()));
    Future.all(parts).onComplete(ar -> {
      if (ar.failed()) {
        failed(rc, ar.cause());
        return;
      }
      JsonArray array = new JsonArray();
      Set<String> missing = new TreeSet<>();
      parts.forEach(p -> {
        array.add(p.result().value());
        missing.addAll(p.result().missing());
      });
      JsonObject body = new JsonObject().put("hubs", array);
      if (missing.isEmpty()) {
        ManagementServer.json(rc, 200, body);
      } else {
        partial(rc, new ArrayList<>(missing), body);
      }
    });
  }

  private void kick(RoutingContext rc, HubInternal hub) {
    String id = rc.pathParam("id");
    hub.kick(id).onComplete(ar -> {
      if (ar.succeeded()) {
        ManagementServer.json(rc, 200, new JsonObject().put("hub", hub.name()).put("client", id).put("kicked", true));
      } else {
        failed(rc, ar.cause());
      }
    });
  }

  private void send(RoutingContext rc, HubInternal hub) {
    String id = rc.pathParam("id");
    JsonObject body = message(rc, hub);
    if (body == null) {
      return;
    }
    String event = body.getString("event");
    hub.send(id, event, body.getValue("data")).onComplete(ar -> {
      if (ar.succeeded()) {
        ManagementServer.json(rc, 200, new JsonObject().put("hub", hub.name()).put("client", id).put("event", event).put("sent", true));
      } else {
        failed(rc, ar.cause());
      }
    });
  }

  private void publish(RoutingContext rc, HubInternal hub) {
    String room = room(rc);
    if (room == null) {
      return;
    }
    JsonObject body = message(rc, hub);
    if (body == null) {
      return;
    }
    String event = body.getString("event");
    // An empty room is most likely a typo: say so rather than publish to nobody.
    hub.admin().size(room).onComplete(ar -> {
      if (ar.failed()) {
        failed(rc, ar.cause());
        return;
      }
      ClusterAnswer<Long> size = ar.result();
      if (!size.complete()) {
        partial(rc, size.missing(), new JsonObject().put("hub", hub.name()).put("room", room).put("published", false));
        return;
      }
      if (size.value() == 0) {
        ManagementServer.error(rc, 404, "unknown_room", "room \"" + room + "\" has no members in hub " + hub.name());
        return;
      }
      Future<Position> published;
      try {
        published = hub.broadcast(room, event, body.getValue("data"));
      } catch (IllegalArgumentException e) {
        ManagementServer.error(rc, 400, "bad_request", e.getMessage());
        return;
      }
      published.onComplete(p -> {
        if (p.failed()) {
          failed(rc, p.cause());
          return;
        }
        JsonObject answer = new JsonObject().put("hub", hub.name()).put("room", room).put("event", event)
          .put("members", size.value()).put("published", true);
        if (p.result() != null) {
          answer.mergeIn(p.result().toJson());
        }
        ManagementServer.json(rc, 200, answer);
      });
    });
  }

  /** {@code GET /admin/rooms/{room}/history?limit=N&before=M}: the room's history, as the {@code history} request answers it. */
  private void history(RoutingContext rc, HubInternal hub) {
    String room = room(rc);
    if (room == null) {
      return;
    }
    long limit;
    long before;
    try {
      limit = longParam(rc, "limit", 0);
      before = longParam(rc, "before", 0);
    } catch (IllegalArgumentException e) {
      ManagementServer.error(rc, 400, "bad_request", e.getMessage());
      return;
    }
    if (limit < 0 || limit > Integer.MAX_VALUE) {
      ManagementServer.error(rc, 400, "bad_request", "\"limit\" must be from 1 to the room's size");
      return;
    }
    hub.history(room, (int) limit, before).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof IllegalArgumentException) {
          ManagementServer.error(rc, 400, "bad_request", ar.cause().getMessage());
        } else {
          failed(rc, ar.cause());
        }
        return;
      }
      ManagementServer.json(rc, 200, ar.result().toJson().put("hub", hub.name()));
    });
  }

  /** {@code GET /admin/rooms/{room}/presence?countOnly=true}: the room's roster, as the {@code presence} request answers it, with nodes. */
  private void presence(RoutingContext rc, HubInternal hub) {
    String room = room(rc);
    if (room == null) {
      return;
    }
    String countOnly = rc.queryParams().get("countOnly");
    if (countOnly != null && !countOnly.equals("true") && !countOnly.equals("false")) {
      ManagementServer.error(rc, 400, "bad_request", "\"countOnly\" must be true or false, got \"" + countOnly + "\"");
      return;
    }
    hub.presence(room, "true".equals(countOnly)).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof IllegalArgumentException) {
          ManagementServer.error(rc, 400, "bad_request", ar.cause().getMessage());
        } else {
          failed(rc, ar.cause());
        }
        return;
      }
      Presence p = ar.result();
      JsonObject body = new JsonObject().put("hub", hub.name()).put("room", room).put("count", p.count()).put("users", p.users());
      if (p.members() != null) {
        JsonArray members = new JsonArray();
        p.members().forEach(m -> members.add(m.toJson().put("node", m.node())));
        body.put("members", members);
      }
      ManagementServer.json(rc, 200, body);
    });
  }

  /** {@code GET /admin/users/{user}}: the user's connections on every node. */
  private void connectionsOf(RoutingContext rc, HubInternal hub) {
    String user = user(rc);
    if (user == null) {
      return;
    }
    answer(rc, hub.admin().connectionsOf(user), connections -> {
      JsonArray array = new JsonArray();
      connections.forEach(c -> array.add(c.toJson()));
      return new JsonObject().put("hub", hub.name()).put("user", user).put("connections", array);
    }, "connections");
  }

  /** {@code POST /admin/users/{user}/kick}: closes every connection of the user with 1008. */
  private void kickUser(RoutingContext rc, HubInternal hub) {
    String user = user(rc);
    if (user == null) {
      return;
    }
    answer(rc, hub.admin().kickUser(user), kicked -> new JsonObject().put("hub", hub.name()).put("user", user).put("kicked", kicked),
      "kicked");
  }

  /** {@code POST /admin/users/{user}/send}: the event to every connection of the user, on every node. */
  private void sendToUser(RoutingContext rc, HubInternal hub) {
    String user = user(rc);
    if (user == null) {
      return;
    }
    JsonObject body = message(rc, hub);
    if (body == null) {
      return;
    }
    String event = body.getString("event");
    hub.sendToUser(user, event, body.getValue("data")).onComplete(ar -> {
      if (ar.succeeded()) {
        ManagementServer.json(rc, 200, new JsonObject().put("hub", hub.name()).put("user", user).put("event", event).put("sent", true));
      } else {
        failed(rc, ar.cause());
      }
    });
  }

  private static long longParam(RoutingContext rc, String name, long otherwise) {
    String value = rc.queryParams().get(name);
    if (value == null) {
      return otherwise;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + name + "\" must be a whole number, got \"" + value + "\"");
    }
  }

  // ---- helpers ----

  /** @return the room of the path, validated, or {@code null} once a 400 is sent */
  private static String room(RoutingContext rc) {
    String raw = rc.pathParam("room");
    // A room with '/' may come percent-encoded (%2F) by clients that encode path segments.
    String room = raw == null ? null : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    if (room == null || !Names.isRoom(room)) {
      ManagementServer.error(rc, 400, "bad_request", "invalid room \"" + room + "\": " + Names.ROOM_RULE);
      return null;
    }
    return room;
  }

  /** The longest user name the management API takes: longer is no user a token names. */
  static final int MAX_USER = 256;

  /** @return the user of the path, or {@code null} once a 400 is sent */
  private static String user(RoutingContext rc) {
    String raw = rc.pathParam("user");
    String user = raw == null ? null : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    if (user == null || user.isEmpty() || user.length() > MAX_USER) {
      ManagementServer.error(rc, 400, "bad_request", "a user is 1-" + MAX_USER + " characters");
      return null;
    }
    return user;
  }

  /**
   * @return the body {@code {"event":E,"data":D}}, validated, or {@code null} once a 400 is sent
   */
  private static JsonObject message(RoutingContext rc, HubInternal hub) {
    Buffer raw = rc.body().buffer();
    String expected = "; expected {\"event\":\"name\",\"data\":<any JSON>}";
    if (raw == null || raw.length() == 0) {
      ManagementServer.error(rc, 400, "bad_request", "the body is empty" + expected);
      return null;
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(raw);
    } catch (DecodeException e) {
      ManagementServer.error(rc, 400, "bad_request", "the body is not JSON: " + firstLine(e.getMessage()) + expected);
      return null;
    }
    if (!(parsed instanceof JsonObject)) {
      ManagementServer.error(rc, 400, "bad_request", "the body is not a JSON object" + expected);
      return null;
    }
    JsonObject body = (JsonObject) parsed;
    for (String field : body.fieldNames()) {
      if (!BODY_FIELDS.contains(field)) {
        ManagementServer.error(rc, 400, "bad_request", "unknown field \"" + field + "\"" + expected);
        return null;
      }
    }
    Object event = body.getValue("event");
    if (!(event instanceof String)) {
      ManagementServer.error(rc, 400, "bad_request", (event == null ? "\"event\" is required" : "\"event\" must be a string") + expected);
      return null;
    }
    if (!Names.isEvent((String) event)) {
      ManagementServer.error(rc, 400, "bad_request", "invalid event \"" + event + "\": 1-" + Names.MAX_EVENT + " characters of [A-Za-z0-9._:-]");
      return null;
    }
    Object data = body.getValue("data");
    int maxMessageSize = hub.options().getMaxMessageSize();
    if (data != null && Json.encodeToBuffer(data).length() > maxMessageSize) {
      ManagementServer.error(rc, 413, "too_large", "\"data\" is over the hub's maxMessageSize of " + maxMessageSize + " bytes");
      return null;
    }
    return body;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static <T> void answer(RoutingContext rc, Future<ClusterAnswer<T>> future, Function<T, Object> body, String key) {
    future.onComplete(ar -> {
      if (ar.failed()) {
        failed(rc, ar.cause());
        return;
      }
      ClusterAnswer<T> answer = ar.result();
      Object value = body.apply(answer.value());
      if (answer.complete()) {
        ManagementServer.json(rc, 200, value);
      } else {
        JsonObject partial = value instanceof JsonObject ? (JsonObject) value : new JsonObject().put(key, value);
        partial(rc, answer.missing(), partial);
      }
    });
  }

  /** 503: some live nodes did not answer; what the others said goes with it. */
  private static void partial(RoutingContext rc, List<String> missing, JsonObject answered) {
    JsonObject body = new JsonObject()
      .put("error", "unavailable")
      .put("message", "no answer in time from node(s) " + String.join(", ", missing) + "; retry, or see GET /admin/nodes")
      .put("missing", new JsonArray(new ArrayList<>(missing)));
    answered.forEach(e -> {
      if (!body.containsKey(e.getKey())) {
        body.put(e.getKey(), e.getValue());
      }
    });
    ManagementServer.json(rc, 503, body);
  }

  private static void failed(RoutingContext rc, Throwable t) {
    if (t instanceof RoomcastException) {
      ErrorCode code = ((RoomcastException) t).code();
      switch (code) {
        case UNKNOWN_CLIENT:
          ManagementServer.error(rc, 404, code.wireName(), t.getMessage());
          return;
        case UNAVAILABLE:
          ManagementServer.error(rc, 503, code.wireName(), t.getMessage());
          return;
        case BAD_REQUEST:
        case INVALID_ROOM:
        case UNKNOWN_EVENT:
          ManagementServer.error(rc, 400, code.wireName(), t.getMessage());
          return;
        default:
          ManagementServer.error(rc, 500, code.wireName(), t.getMessage());
          return;
      }
    }
    if (t instanceof IllegalArgumentException) {
      ManagementServer.error(rc, 400, "bad_request", t.getMessage());
      return;
    }
    ManagementServer.error(rc, 500, "internal", String.valueOf(t.getMessage()));
  }
}

package io.roomcast.gateway.internal;

import io.vertx.core.json.JsonObject;

import java.util.function.LongConsumer;

/** A hub's counters on this node, as the node's metrics and the management API read them. */
public interface HubCounters {

  /** Why a message to or from a client was dropped. */
  enum Drop {
    SLOW_CLIENT("slow_client"), RATE_LIMIT("rate_limit"), TOO_LARGE("too_large"), JOIN_RATE_LIMIT("join_rate_limit");

    /** The label in metrics and in the management API. */
    public final String label;

    Drop(String label) {
      this.label = label;
    }
  }

  /** Why a handshake was refused before the upgrade. */
  enum Rejection {
    ORIGIN("origin"), AUTH("auth"), MAX_CONNECTIONS("max_connections"), MAX_PER_ADDRESS("max_connections_per_address"),
    DRAINING("draining"), BAD_REQUEST("bad_request");

    /** The label in metrics and in the management API. */
    public final String label;

    Rejection(String label) {
      this.label = label;
    }
  }

  /** What a message from a client asked for; every message received counts under one kind. */
  enum In {
    /** {@code join}, {@code leave}, {@code ping} and their aliases. */
    CONTROL("control"),
    /** An event a server-side handler of the hub handles. */
    CUSTOM("custom"),
    /** A direct message ({@code to}). */
    DIRECT("direct"),
    /** A message to a room. */
    ROOM("room"),
    /** Undecodable, or neither handled, direct nor to a room. */
    INVALID("invalid"),
    /** Refused by the rate limit before being looked at. */
    RATE_LIMITED("rate_limited");

    /** The label in metrics. */
    public final String label;

    In(String label) {
      this.label = label;
    }
  }

  /** What a frame written to a client was. */
  enum Out {
    /** A room message (presence events included). */
    ROOM("room"),
    /** A direct message. */
    DIRECT("direct"),
    /** Everything else: welcome, replies, errors, pongs, and what the application writes itself. */
    CONTROL("control");

    /** The label in metrics. */
    public final String label;

    Out(String label) {
      this.label = label;
    }
  }

  /** @return the messages received from clients, of every kind */
  long messagesIn();

  /** @return the messages received from clients of one kind */
  long messagesIn(In kind);

  /** @return the frames written to clients, of every kind */
  long messagesOut();

  /** @return the frames written to clients of one kind */
  long messagesOut(Out kind);

  /** @return the bytes of the messages received (WebSocket message payloads) */
  long bytesIn();

  /** @return the bytes of the frames written (WebSocket message payloads) */
  long bytesOut();

  /** @return how many messages were dropped for a reason */
  long dropped(Drop reason);

  /** @return how many handshakes were refused for a reason */
  long rejected(Rejection reason);

  /** @return the messages this node appended to rooms' histories */
  long historyWrites();

  /** @return the lifecycle events this node's webhooks delivered ({@code true}) or dropped over their queue limit */
  long webhookEvents(boolean delivered);

  /** @return the webhook POSTs the receivers did not take (each sent again later) */
  long webhookFailedAttempts();

  /**
   * @param recovered whether the join recovered its {@code since}
   * @return the joins with {@code since} on this node that recovered, or did not
   */
  long recoveries(boolean recovered);

  /** @return the messages sent again to members that recovered */
  long replayed();

  /** @return the connections in the rosters of the hub's presence rooms, cluster-wide as this node's replica holds them */
  long presenceMembers();

  /** @return the distinct users of each presence room, summed over the rooms, as this node's replica holds them */
  long presenceUsers();

  /** @return the presence events ({@code joined}, {@code left}) this node handed to its members' rooms */
  long presenceEvents();

  /** @return rooms the hub's shards on this node asked to open (joins into a room with no member yet on their event loop) */
  long roomOpens();

  /** @return of those, the ones that waited for the node's {@code freshRoomRate} */
  long roomOpenWaits();

  /** @return connections closed with 4001 because their token expired */
  long tokensExpired();

  /** @return tokens replaced on live connections by a {@code refresh} */
  long tokensRefreshed();

  /** @return the hub's open connections on this node */
  long connections();

  /** @return the rooms with members on this node, {@code root} included */
  int rooms();

  /** @return the counters as the management API shows them for one node */
  JsonObject toJson();

  /**
   * @param observer what receives each delivery's latency in ms (a histogram), or {@code null}
   */
  void deliveryLatencyObserver(LongConsumer observer);
}

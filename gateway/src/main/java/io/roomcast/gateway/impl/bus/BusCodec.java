package io.roomcast.gateway.impl.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries {@link BusMessage}s on the event bus. Locally the same immutable object is handed to
 * every consumer (no copy); between nodes each message is written as its {@link #WIRE_VERSION}
 * byte, its type's tag byte, then its fields. A node reads only its own wire version: anything
 * else becomes {@link Unreadable}, logged once per version and tag, and dropped by the receiver
 * (docs/OPERATIONS.md says which versions may share a cluster).
 *
 * @param <T> the message type this instance is the default codec of
 */
public final class BusCodec<T extends BusMessage> implements MessageCodec<T, BusMessage> {

  /** The version of the format below; a node writes it and reads only it. */
  public static final int WIRE_VERSION = 1;

  private static final Logger log = LoggerFactory.getLogger(BusCodec.class);
  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

  // Tags are part of the wire format: never reuse or renumber one.
  private static final byte ROOM_DELIVERY = 1;
  private static final byte DIRECT_DELIVERY = 2;
  private static final byte JOIN = 3;
  private static final byte LEAVE = 4;
  private static final byte CLOSE = 5;
  private static final byte PROBE = 6;
  private static final byte ROOMS = 7;
  private static final byte CLIENTS = 8;
  private static final byte SIZE = 9;
  private static final byte COUNT = 10;
  private static final byte INFO = 11;
  private static final byte STATS = 12;
  private static final byte PROBE_REQUEST = 13;
  private static final byte PROBE_SEEN = 14;
  private static final byte PRESENCE_CHANGE = 15;
  private static final byte PRESENCE_SNAPSHOT = 16;
  private static final byte PRESENCE_SYNC = 17;
  private static final byte USER_CONNECTIONS = 18;
  private static final byte KICK_USER = 19;
  private static final byte PRESENCE_BATCH = 20;

  private static final Map<Class<? extends BusMessage>, String> TYPES = Map.ofEntries(
    Map.entry(RoomDelivery.class, "room-delivery"),
    Map.entry(DirectDelivery.class, "direct-delivery"),
    Map.entry(ShardCommand.Join.class, "join"),
    Map.entry(ShardCommand.Leave.class, "leave"),
    Map.entry(ShardCommand.Close.class, "close"),
    Map.entry(Probe.class, "probe"),
    Map.entry(Probe.Request.class, "probe-request"),
    Map.entry(Probe.Seen.class, "probe-seen"),
    Map.entry(Question.Rooms.class, "rooms"),
    Map.entry(Question.Clients.class, "clients"),
    Map.entry(Question.Size.class, "size"),
    Map.entry(Question.Count.class, "count"),
    Map.entry(Question.Info.class, "info"),
    Map.entry(Question.Stats.class, "stats"),
    Map.entry(Question.PresenceSync.class, "presence-sync"),
    Map.entry(Question.UserConnections.class, "user-connections"),
    Map.entry(Question.KickUser.class, "kick-user"),
    Map.entry(PresenceChange.class, "presence-change"),
    Map.entry(PresenceBatch.class, "presence-batch"),
    Map.entry(PresenceSnapshot.class, "presence-snapshot"),
    // Local only, never encoded: registered so that the local event bus finds a codec for it.
    Map.entry(Attached.class, "attached"));

  private final String name;

  BusCodec(String name) {
    this.name = name;
  }

  /**
   * Makes this codec the default of every message type on an event bus. Idempotent: gateways
   * sharing a Vert.x instance register it once.
   *
   * @param bus the event bus
   */
  public static synchronized void register(EventBus bus) {
    TYPES.forEach((type, name) -> registerOne(bus, type, "roomcast." + name));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void registerOne(EventBus bus, Class type, String name) {
    try {
      bus.registerDefaultCodec(type, new BusCodec(name));
    } catch (IllegalStateException alreadyRegistered) {
      // Another gateway on this Vert.x instance registered it: the codec is stateless.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    buffer.appendByte((byte) WIRE_VERSION);
    if (message instanceof RoomDelivery d) {
      buffer.appendByte(ROOM_DELIVERY);
      writeDelivery(buffer, d);
      writeString(buffer, d.room());
      writeString(buffer, d.exclude());
      buffer.appendLong(d.offset());
      writeString(buffer, d.epoch());
    } else if (message instanceof DirectDelivery d) {
      buffer.appendByte(DIRECT_DELIVERY);
      writeDelivery(buffer, d);
      writeString(buffer, d.to());
    } else if (message instanceof ShardCommand.Join c) {
      buffer.appendByte(JOIN);
      writeString(buffer, c.client());
      writeString(buffer, c.room());
    } else if (message instanceof ShardCommand.Leave c) {
      buffer.appendByte(LEAVE);
      writeString(buffer, c.client());
      writeString(buffer, c.room());
    } else if (message instanceof ShardCommand.Close c) {
      buffer.appendByte(CLOSE);
      writeString(buffer, c.client());
      buffer.appendInt(c.code());
      writeString(buffer, c.reason());
    } else if (message instanceof Probe p) {
      buffer.appendByte(PROBE);
      writeString(buffer, p.node());
      writeString(buffer, p.token());
    } else if (message instanceof Probe.Request r) {
      buffer.appendByte(PROBE_REQUEST);
      writeString(buffer, r.address());
      writeString(buffer, r.token());
    } else if (message instanceof Probe.Seen s) {
      buffer.appendByte(PROBE_SEEN);
      writeString(buffer, s.token());
    } else if (message instanceof Question.Rooms) {
      buffer.appendByte(ROOMS);
    } else if (message instanceof Question.Clients q) {
      buffer.appendByte(CLIENTS);
      writeString(buffer, q.room());
    } else if (message instanceof Question.Size q) {
      buffer.appendByte(SIZE);
      writeString(buffer, q.room());
    } else if (message instanceof Question.Count) {
      buffer.appendByte(COUNT);
    } else if (message instanceof Question.Info) {
      buffer.appendByte(INFO);
    } else if (message instanceof Question.Stats q) {
      buffer.appendByte(STATS).appendByte((byte) (q.roomNames() ? 1 : 0));
    } else if (message instanceof Question.PresenceSync q) {
      buffer.appendByte(PRESENCE_SYNC);
      writeString(buffer, q.requester());
    } else if (message instanceof Question.UserConnections q) {
      buffer.appendByte(USER_CONNECTIONS);
      writeString(buffer, q.user());
    } else if (message instanceof Question.KickUser q) {
      buffer.appendByte(KICK_USER);
      writeString(buffer, q.user());
    } else if (message instanceof PresenceChange c) {
      buffer.appendByte(PRESENCE_CHANGE);
      writeChange(buffer, c);
    } else if (message instanceof PresenceBatch b) {
      buffer.appendByte(PRESENCE_BATCH);
      buffer.appendInt(b.changes().size());
      b.changes().forEach(c -> writeChange(buffer, c));
    } else if (message instanceof PresenceSnapshot s) {
      buffer.appendByte(PRESENCE_SNAPSHOT);
      writeString(buffer, s.origin());
      buffer.appendInt(s.partition());
      buffer.appendLong(s.seq());
      buffer.appendInt(s.entries().size());
      s.entries().forEach(e -> writeEntry(buffer, e));
    } else {
      throw new IllegalArgumentException("not sent between nodes: " + message);
    }
  }

  @Override
  public BusMessage decodeFromWire(int pos, Buffer buffer) {
    Reader in = new Reader(buffer, pos);
    int version = in.unsignedByte();
    int tag = in.unsignedByte();
    if (version != WIRE_VERSION) {
      return unreadable(version, tag);
    }
    switch (tag) {
      case ROOM_DELIVERY: {
        String event = in.string();
        String from = in.string();
        boolean binary = in.bool();
        long publishedAt = in.longValue();
        Buffer payload = in.buffer();
        String room = in.string();
        String exclude = in.string();
        long offset = in.longValue();
        String epoch = in.string();
        return new RoomDelivery(room, event, from, exclude, payload, binary, publishedAt, offset, epoch);
      }
      case DIRECT_DELIVERY: {
        String event = in.string();
        String from = in.string();
        boolean binary = in.bool();
        long publishedAt = in.longValue();
        Buffer payload = in.buffer();
        return new DirectDelivery(in.string(), event, from, payload, binary, publishedAt);
      }
      case JOIN:
        return new ShardCommand.Join(in.string(), in.string());
      case LEAVE:
        return new ShardCommand.Leave(in.string(), in.string());
      case CLOSE:
        return new ShardCommand.Close(in.string(), in.intValue(), in.string());
      case PROBE:
        return new Probe(in.string(), in.string());
      case PROBE_REQUEST:
        return new Probe.Request(in.string(), in.string());
      case PROBE_SEEN:
        return new Probe.Seen(in.string());
      case ROOMS:
        return new Question.Rooms();
      case CLIENTS:
        return new Question.Clients(in.string());
      case SIZE:
        return new Question.Size(in.string());
      case COUNT:
        return new Question.Count();
      case INFO:
        return new Question.Info();
      case STATS:
        return new Question.Stats(in.bool());
      case PRESENCE_SYNC:
        return new Question.PresenceSync(in.string());
      case USER_CONNECTIONS:
        return new Question.UserConnections(in.string());
      case KICK_USER:
        return new Question.KickUser(in.string());
      case PRESENCE_CHANGE:
        return readChange(in);
      case PRESENCE_BATCH: {
        int size = in.intValue();
        List<PresenceChange> changes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          changes.add(readChange(in));
        }
        return new PresenceBatch(changes);
      }
      case PRESENCE_SNAPSHOT: {
        String origin = in.string();
        int partition = in.intValue();
        long seq = in.longValue();
        int size = in.intValue();
        List<PresenceEntry> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          entries.add(readEntry(in));
        }
        return new PresenceSnapshot(origin, partition, seq, entries);
      }
      default:
        return unreadable(version, tag);
    }
  }

  private static Unreadable unreadable(int version, int tag) {
    if (REPORTED.add(version + "/" + tag)) {
      log.warn("dropping event-bus messages of wire version {} (type tag {}): this node reads version {} only; "
        + "see docs/OPERATIONS.md on mixing versions in a cluster", version, tag, WIRE_VERSION);
    }
    return new Unreadable(version, tag);
  }

  @Override
  public BusMessage transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  private static void writeDelivery(Buffer buffer, Delivery d) {
    writeString(buffer, d.event());
    writeString(buffer, d.from());
    buffer.appendByte((byte) (d.binaryPayload() ? 1 : 0));
    buffer.appendLong(d.publishedAt());
    Buffer payload = d.payload();
    if (payload == null) {
      buffer.appendInt(-1);
    } else {
      buffer.appendInt(payload.length()).appendBuffer(payload);
    }
  }

  private static void writeChange(Buffer buffer, PresenceChange c) {
    writeString(buffer, c.origin());
    buffer.appendLong(c.seq());
    buffer.appendByte((byte) (c.joined() ? 1 : 0));
    writeEntry(buffer, c.entry());
  }

  private static PresenceChange readChange(Reader in) {
    String origin = in.string();
    long seq = in.longValue();
    boolean joined = in.bool();
    return new PresenceChange(origin, seq, joined, readEntry(in));
  }

  private static void writeEntry(Buffer buffer, PresenceEntry e) {
    writeString(buffer, e.room());
    writeString(buffer, e.client());
    writeString(buffer, e.user());
    writeString(buffer, e.info());
  }

  private static PresenceEntry readEntry(Reader in) {
    return new PresenceEntry(in.string(), in.string(), in.string(), in.string());
  }

  private static void writeString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
    } else {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(bytes.length).appendBytes(bytes);
    }
  }

  /** Reads fields in order from a position of a buffer. */
  private static final class Reader {
    private final Buffer buffer;
    private int at;

    Reader(Buffer buffer, int at) {
      this.buffer = buffer;
      this.at = at;
    }

    int unsignedByte() {
      return buffer.getUnsignedByte(at++);
    }

    boolean bool() {
      return buffer.getByte(at++) == 1;
    }

    int intValue() {
      int v = buffer.getInt(at);
      at += 4;
      return v;
    }

    long longValue() {
      long v = buffer.getLong(at);
      at += 8;
      return v;
    }

    String string() {
      int length = intValue();
      if (length < 0) {
        return null;
      }
      String s = buffer.getString(at, at + length, "UTF-8");
      at += length;
      return s;
    }

    Buffer buffer() {
      int length = intValue();
      if (length < 0) {
        return null;
      }
      Buffer b = buffer.getBuffer(at, at + length);
      at += length;
      return b;
    }
  }
}

package io.roomcast.gateway.node.admin;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The admin commands' answers as plain-text tables: a header, aligned columns, numbers to the right. */
final class Tables {

  /** Characters of a history message's data shown on its line. */
  private static final int HISTORY_DATA_WIDTH = 60;

  private Tables() {
  }

  static String nodes(Object answer) {
    JsonObject body = (JsonObject) answer;
    Table t = new Table("NODE", "ADDRESS", "MANAGEMENT", "CONNECTIONS", "ROOMS", "UPTIME", "STATE");
    for (Object o : body.getJsonArray("nodes", new JsonArray())) {
      JsonObject n = (JsonObject) o;
      t.row(n.getString("node") + (n.getBoolean("self", false) ? " *" : ""), n.getString("address", "-"), n.getString("management", "-"),
        n.getValue("connections"), n.getValue("rooms"), duration(n.getLong("uptimeMs", 0L)),
        n.getBoolean("draining", false) ? "draining" : "serving");
    }
    return "hub " + body.getString("hub") + "; * = the node asked\n" + t;
  }

  static String hubs(Object answer) {
    Table t = new Table("HUB", "PATH", "CONNECTIONS", "ROOMS", "NODES");
    for (Object o : ((JsonObject) answer).getJsonArray("hubs", new JsonArray())) {
      JsonObject h = (JsonObject) o;
      t.row(h.getString("hub"), h.getString("path"), h.getValue("connections"), h.getValue("rooms"), h.getJsonArray("nodes").size());
    }
    return t.toString();
  }

  static String rooms(Object answer) {
    Table t = new Table("ROOM", "MEMBERS");
    for (Object o : (JsonArray) answer) {
      JsonObject r = (JsonObject) o;
      t.row(r.getString("room"), r.getValue("members"));
    }
    return t.toString();
  }

  static String members(Object answer) {
    JsonObject body = (JsonObject) answer;
    Table t = new Table("CLIENT", "NODE");
    for (Object o : body.getJsonArray("members", new JsonArray())) {
      JsonObject m = (JsonObject) o;
      t.row(m.getString("id"), m.getString("node"));
    }
    return "room " + body.getString("room") + " (hub " + body.getString("hub") + "): " + body.getJsonArray("members").size() + " members\n" + t;
  }

  /** A presence room's roster: its counts, then each connection with its node, user and info. */
  static String presence(Object answer) {
    JsonObject body = (JsonObject) answer;
    String head = "room " + body.getString("room") + " (hub " + body.getString("hub") + "): " + body.getValue("count")
      + " connections, " + body.getValue("users") + " users\n";
    JsonArray members = body.getJsonArray("members");
    if (members == null) {
      return head;
    }
    Table t = new Table("CLIENT", "NODE", "USER", "INFO");
    for (Object o : members) {
      JsonObject m = (JsonObject) o;
      t.row(m.getString("client"), m.getString("node"), m.getString("user", "-"), shortData(m.getValue("info")));
    }
    return head + t;
  }

  /** A user's connections and their nodes. */
  static String connections(Object answer) {
    JsonObject body = (JsonObject) answer;
    Table t = new Table("CLIENT", "NODE");
    JsonArray connections = body.getJsonArray("connections", new JsonArray());
    for (Object o : connections) {
      JsonObject c = (JsonObject) o;
      t.row(c.getString("id"), c.getString("node"));
    }
    return "user " + body.getString("user") + " (hub " + body.getString("hub") + "): " + connections.size() + " connections\n" + t;
  }

  /** A room's history, oldest first; binary data shows as its size, long data cut to fit a line. */
  static String history(Object answer) {
    JsonObject body = (JsonObject) answer;
    Table t = new Table("OFFSET", "EVENT", "FROM", "DATA");
    JsonArray messages = body.getJsonArray("messages", new JsonArray());
    for (Object o : messages) {
      JsonObject m = (JsonObject) o;
      t.row(m.getValue("offset"), m.getString("event"), m.getString("from", "-"), shortData(m.getValue("data")));
    }
    return "room " + body.getString("room") + " (hub " + body.getString("hub") + "): epoch " + body.getString("epoch")
      + ", last offset " + body.getValue("offset") + ", " + messages.size() + " messages shown\n" + t;
  }

  private static String shortData(Object data) {
    String text = data == null ? "-" : Json.encode(data);
    return text.length() <= HISTORY_DATA_WIDTH ? text : text.substring(0, HISTORY_DATA_WIDTH - 3) + "...";
  }

  static String stats(Object answer) {
    StringBuilder sb = new StringBuilder();
    for (Object o : ((JsonObject) answer).getJsonArray("hubs", new JsonArray())) {
      JsonObject hub = (JsonObject) o;
      Table t = new Table("NODE", "CONNECTIONS", "ROOMS", "MSGS IN", "MSGS OUT", "DROPPED", "BYTES IN", "BYTES OUT", "REJECTED");
      for (Object n : hub.getJsonArray("nodes", new JsonArray())) {
        JsonObject node = (JsonObject) n;
        statsRow(t, node.getString("node"), node);
      }
      statsRow(t, "total", hub);
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append("hub ").append(hub.getString("hub")).append(" (").append(hub.getString("path")).append(")\n").append(t);
      sb.append("dropped: ").append(breakdown(hub.getJsonObject("droppedByReason")))
        .append("; rejected handshakes: ").append(breakdown(hub.getJsonObject("handshakesRejected"))).append('\n');
    }
    return sb.toString();
  }

  private static void statsRow(Table t, String name, JsonObject s) {
    t.row(name, s.getValue("connections"), s.getValue("rooms"), s.getValue("messagesIn"), s.getValue("messagesOut"),
      s.getValue("dropped"), bytes(s.getLong("bytesIn", 0L)), bytes(s.getLong("bytesOut", 0L)), sum(s.getJsonObject("handshakesRejected")));
  }

  private static long sum(JsonObject counts) {
    long total = 0;
    if (counts != null) {
      for (String key : counts.fieldNames()) {
        total += counts.getLong(key, 0L);
      }
    }
    return total;
  }

  private static String breakdown(JsonObject counts) {
    if (counts == null) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    for (String key : counts.fieldNames()) {
      parts.add(key + "=" + counts.getValue(key));
    }
    return String.join(" ", parts);
  }

  static String duration(long ms) {
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + String.format("%02ds", s % 60);
    }
    if (s < 86400) {
      return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
    }
    return (s / 86400) + "d" + String.format("%02dh", (s % 86400) / 3600);
  }

  static Right bytes(long n) {
    return new Right(bytesText(n));
  }

  static String bytesText(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** A cell aligned to the right, like a number. */
  record Right(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** Columns sized to their widest cell; numbers aligned right. */
  static final class Table {
    private final String[] header;
    private final List<Object[]> rows = new ArrayList<>();

    Table(String... header) {
      this.header = header;
    }

    void row(Object... cells) {
      rows.add(cells);
    }

    @Override
    public String toString() {
      int[] widths = new int[header.length];
      for (int i = 0; i < header.length; i++) {
        widths[i] = header[i].length();
      }
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], String.valueOf(row[i]).length());
        }
      }
      StringBuilder sb = new StringBuilder();
      line(sb, header, widths);
      for (Object[] row : rows) {
        line(sb, row, widths);
      }
      if (rows.isEmpty()) {
        sb.append("(none)\n");
      }
      return sb.toString();
    }

    private static void line(StringBuilder sb, Object[] cells, int[] widths) {
      for (int i = 0; i < cells.length; i++) {
        String cell = String.valueOf(cells[i]);
        boolean last = i == cells.length - 1;
        if (cells[i] instanceof Number || cells[i] instanceof Right) {
          sb.append(" ".repeat(widths[i] - cell.length())).append(cell);
        } else {
          sb.append(cell);
          if (!last) {
            sb.append(" ".repeat(widths[i] - cell.length()));
          }
        }
        if (!last) {
          sb.append("  ");
        }
      }
      sb.append('\n');
    }
  }
}

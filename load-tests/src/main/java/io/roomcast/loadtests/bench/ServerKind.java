package io.roomcast.loadtests.bench;

import io.roomcast.loadtests.bench.client.Dialect;
import io.roomcast.loadtests.bench.client.RoomcastDialect;
import io.roomcast.loadtests.bench.client.SocketIoDialect;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The servers measured side by side, how to speak to them and how to make them collect garbage. */
public enum ServerKind {
  ROOMCAST("roomcast", "Roomcast", new RoomcastDialect()),
  WS("ws", "Node ws", new RoomcastDialect()),
  SOCKETIO("socketio", "Socket.IO", new SocketIoDialect());

  private final String id;
  private final String label;
  private final Dialect dialect;

  ServerKind(String id, String label, Dialect dialect) {
    this.id = id;
    this.label = label;
    this.dialect = dialect;
  }

  public String id() {
    return id;
  }

  public String label() {
    return label;
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * Asks the server process for a full collection, so that resident memory reflects what is live:
   * {@code jcmd PID GC.run} for the JVM, SIGUSR2 for the Node peers (which run {@code global.gc()}
   * on it when started with {@code --expose-gc}).
   */
  public void collectGarbage(long pid) {
    List<String> command = this == ROOMCAST
      ? List.of("jcmd", Long.toString(pid), "GC.run")
      : List.of("kill", "-USR2", Long.toString(pid));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * @return the first lines of the JVM's class histogram of live objects ({@code jcmd PID
   *     GC.class_histogram}, which collects first), or {@code null} for the Node peers
   */
  public String heapHistogram(long pid, int lines) {
    if (this != ROOMCAST) {
      return null;
    }
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
      StringBuilder sb = new StringBuilder();
      try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        String line;
        int n = 0;
        while ((line = reader.readLine()) != null) {
          if (n++ < lines) {
            sb.append(line).append('\n');
          }
        }
      }
      p.waitFor(60, TimeUnit.SECONDS);
      return sb.toString();
    } catch (IOException e) {
      return "jcmd failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** @return the kind named {@code id} */
  public static ServerKind of(String id) {
    for (ServerKind k : values()) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown server '" + id + "' (roomcast, ws or socketio)");
  }
}

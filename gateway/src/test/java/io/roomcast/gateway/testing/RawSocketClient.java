package io.roomcast.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client on a plain socket that writes whatever bytes a test builds: hand-made
 * requests and frames, broken on purpose. Blocking, with a read timeout.
 */
public final class RawSocketClient implements AutoCloseable {

  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CONTINUATION = 0x0;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** A frame read from the server. */
  public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** @return the close code of a close frame, or 1005 when it has none */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  /** The status line and headers of an HTTP response. */
  public record Response(int status, Map<String, String> headers) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawSocketClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Opens a TCP connection to 127.0.0.1. */
  public static RawSocketClient connect(int port) {
    return connect("127.0.0.1", port);
  }

  /** Opens a TCP connection from a local address of the loopback range, such as 127.0.0.2. */
  public static RawSocketClient connect(String localAddress, int port) {
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
      socket.setTcpNoDelay(true);
      return new RawSocketClient(socket);
    } catch (IOException e) {
      throw new AssertionError("could not connect to " + port, e);
    }
  }

  /** Opens a connection and completes a WebSocket upgrade on {@code path}. */
  public static RawSocketClient upgraded(int port, String path) {
    RawSocketClient c = connect(port);
    Response r = c.upgrade(path, Map.of());
    if (r.status() != 101) {
      throw new AssertionError("upgrade refused: " + r);
    }
    return c;
  }

  /** Sends an upgrade request with extra headers and reads the response head. */
  public Response upgrade(String path, Map<String, String> extraHeaders) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "127.0.0.1");
    headers.put("Upgrade", "websocket");
    headers.put("Connection", "Upgrade");
    headers.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(randomBytes(16)));
    headers.put("Sec-WebSocket-Version", "13");
    headers.putAll(extraHeaders);
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
    headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    request.append("\r\n");
    write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    return readResponse();
  }

  /** Reads an HTTP response head. */
  public Response readResponse() {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("connection closed in the response head: " + head);
        }
        head.write(b);
      }
    } catch (IOException e) {
      throw new AssertionError("no response head", e);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return new Response(status, headers);
  }

  /** Writes raw bytes. */
  public void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new AssertionError("write failed", e);
    }
  }

  /** @return whether raw bytes could be written (false once the server has closed) */
  public boolean tryWrite(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes one masked frame, as a client must. */
  public void sendFrame(boolean fin, int opcode, byte[] payload) {
    write(frame(fin, 0, opcode, payload, true));
  }

  public void sendText(String text) {
    sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @return the bytes of a frame with any header bits
   */
  public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF));
    int mask = masked ? 0x80 : 0;
    if (payload.length < 126) {
      f.write(mask | payload.length);
    } else if (payload.length < 65536) {
      f.write(mask | 126);
      f.write(payload.length >> 8);
      f.write(payload.length & 0xFF);
    } else {
      f.write(mask | 127);
      long len = payload.length;
      for (int i = 7; i >= 0; i--) {
        f.write((int) (len >> (8 * i)) & 0xFF);
      }
    }
    byte[] body = payload.clone();
    if (masked) {
      byte[] key = randomBytes(4);
      f.write(key, 0, 4);
      for (int i = 0; i < body.length; i++) {
        body[i] ^= key[i % 4];
      }
    }
    f.write(body, 0, body.length);
    return f.toByteArray();
  }

  /** Reads the next frame; fails on end of stream or timeout. */
  public Frame readFrame() {
    try {
      int b0 = readByte();
      int b1 = readByte();
      long len = b1 & 0x7F;
      if (len == 126) {
        len = (readByte() << 8) | readByte();
      } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = (len << 8) | readByte();
        }
      }
      byte[] key = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
      byte[] payload = in.readNBytes((int) len);
      if (payload.length < len) {
        throw new EOFException("truncated frame");
      }
      if (key != null) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= key[i % 4];
        }
      }
      return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0xF, payload);
    } catch (IOException e) {
      throw new AssertionError("no frame: " + e, e);
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("end of stream");
    }
    return b;
  }

  /**
   * Reads until the server's close frame and returns its code; -1 when the server dropped the
   * connection without one.
   */
  public int awaitClose() {
    try {
      while (true) {
        Frame f;
        try {
          f = readFrame();
        } catch (AssertionError e) {
          if (e.getCause() instanceof SocketTimeoutException) {
            throw e;
          }
          return -1;
        }
        if (f.opcode() == CLOSE) {
          return f.closeCode();
        }
      }
    } finally {
      close();
    }
  }

  /** Reads frames until one of this opcode, skipping others (such as pings). */
  public Frame readUntil(int opcode) {
    while (true) {
      Frame f = readFrame();
      if (f.opcode() == opcode) {
        return f;
      }
    }
  }

  /** @return whether the server closed the TCP connection within the read timeout, reading and discarding data */
  public boolean awaitEndOfStream() {
    try {
      byte[] buffer = new byte[8192];
      while (in.read(buffer) >= 0) {
        // discard
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}

package io.roomcast.gateway.impl;

import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

/**
 * Text frames from bytes that are already UTF-8, so that a fan-out writes the same bytes to
 * every member instead of encoding a {@code String} again for each one.
 *
 * <p>Vert.x's public API only makes text frames from a {@code String}. Its frame class also has
 * a constructor from UTF-8 bytes, which wraps them without copying; it lives in an
 * implementation package that moved between Vert.x versions, so it is looked up once by name
 * and, where it is missing, the public {@code textFrame(String)} is used instead.
 */
final class TextFrames {

  private static final String[] FRAME_CLASSES = {
    "io.vertx.core.http.impl.ws.WebSocketFrameImpl",
    "io.vertx.core.http.impl.websocket.WebSocketFrameImpl",
  };
  private static final MethodHandle FROM_UTF8 = lookUp();

  private TextFrames() {
  }

  private static MethodHandle lookUp() {
    MethodType type = MethodType.methodType(void.class, WebSocketFrameType.class, byte[].class, boolean.class);
    for (String name : FRAME_CLASSES) {
      try {
        Class<?> frameClass = Class.forName(name, true, WebSocketFrame.class.getClassLoader());
        return MethodHandles.publicLookup().findConstructor(frameClass, type)
          .asType(MethodType.methodType(WebSocketFrame.class, WebSocketFrameType.class, byte[].class, boolean.class));
      } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
        // Not this version of Vert.x: try the next name.
      }
    }
    return null;
  }

  /** @return whether frames wrap their bytes (else each one encodes a {@code String}) */
  static boolean wrapsBytes() {
    return FROM_UTF8 != null;
  }

  /**
   * @param utf8 the frame's text as UTF-8, shared by every frame made from it and never modified
   * @return a final text frame over those bytes
   */
  static WebSocketFrame of(byte[] utf8) {
    if (FROM_UTF8 != null) {
      try {
        return (WebSocketFrame) FROM_UTF8.invokeExact(WebSocketFrameType.TEXT, utf8, true);
      } catch (Throwable t) {
        throw new IllegalStateException("making a text frame failed", t);
      }
    }
    return WebSocketFrame.textFrame(new String(utf8, StandardCharsets.UTF_8), true);
  }
}

package io.roomcast.gateway.impl.codec;

import io.roomcast.gateway.DecodeResult;
import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.ErrorCode;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * The binary envelope: {@code room · event · dst · src · payload}, each a 4-byte big-endian
 * unsigned length followed by that many bytes (PROTOCOL.md, section 4).
 */
public final class BinaryEnvelopes {

  private static final int FIELDS = 5;

  private BinaryEnvelopes() {
  }

  /**
   * @param room the room, or {@code null}
   * @param event the event
   * @param dst the destination client id, or {@code null}
   * @param src the source client id, or {@code null}
   * @param payload the payload, or {@code null}
   * @return the frame content
   */
  public static Buffer encode(String room, String event, String dst, String src, Buffer payload) {
    byte[] r = bytes(room);
    byte[] e = bytes(event);
    byte[] d = bytes(dst);
    byte[] s = bytes(src);
    int payloadLength = payload == null ? 0 : payload.length();
    Buffer out = Buffer.buffer(4 * FIELDS + r.length + e.length + d.length + s.length + payloadLength);
    out.appendInt(r.length).appendBytes(r);
    out.appendInt(e.length).appendBytes(e);
    out.appendInt(d.length).appendBytes(d);
    out.appendInt(s.length).appendBytes(s);
    out.appendInt(payloadLength);
    if (payload != null) {
      out.appendBuffer(payload);
    }
    return out;
  }

  /**
   * @param frame the content of a binary frame
   * @return the envelope (without {@code src}: the server sets the source itself), or an error
   */
  public static DecodeResult decode(Buffer frame) {
    int size = frame.length();
    int[] start = new int[FIELDS];
    int[] length = new int[FIELDS];
    int pos = 0;
    for (int i = 0; i < FIELDS; i++) {
      if (size - pos < 4) {
        return bad("binary envelope is truncated: field " + (i + 1) + " of 5 has no length");
      }
      long len = frame.getUnsignedInt(pos);
      pos += 4;
      if (len > size - pos) {
        return bad("binary envelope field " + (i + 1) + " claims " + len + " bytes, only " + (size - pos) + " left");
      }
      start[i] = pos;
      length[i] = (int) len;
      pos += (int) len;
    }
    if (pos != size) {
      return bad("binary envelope has " + (size - pos) + " bytes after its five fields");
    }
    String room = string(frame, start[0], length[0]);
    String event = string(frame, start[1], length[1]);
    String dst = string(frame, start[2], length[2]);
    if (room == null || event == null || dst == null || string(frame, start[3], length[3]) == null) {
      return bad("binary envelope strings must be UTF-8");
    }
    if (event.isEmpty()) {
      return bad("event is required");
    }
    if (!Names.isEvent(event)) {
      return bad("event must be 1-64 characters of [A-Za-z0-9._:-]");
    }
    Buffer payload = length[4] == 0 ? null : frame.getBuffer(start[4], start[4] + length[4]);
    return DecodeResult.success(Envelope.create(event, room.isEmpty() ? null : room, dst.isEmpty() ? null : dst, null, null, payload, true));
  }

  private static DecodeResult bad(String message) {
    return DecodeResult.failure(ErrorCode.BAD_REQUEST, message, null);
  }

  private static String string(Buffer frame, int start, int length) {
    if (length == 0) {
      return "";
    }
    byte[] bytes = frame.getBytes(start, start + length);
    return Utf8Validator.isValid(bytes) ? new String(bytes, StandardCharsets.UTF_8) : null;
  }

  private static byte[] bytes(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }
}

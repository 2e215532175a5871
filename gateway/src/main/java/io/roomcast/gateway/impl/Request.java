package io.roomcast.gateway.impl;

import io.roomcast.gateway.Envelope;
import io.roomcast.gateway.ErrorCode;
import io.roomcast.gateway.Position;
import io.roomcast.gateway.impl.codec.Payloads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.Base64;

/**
 * One client message being handled, and the rules for answering it (PROTOCOL.md, sections 3–4):
 * a JSON request is answered with a {@code reply} only when it has an id, else errors go out as an
 * {@code error} event; a binary envelope has no id, so built-in events are answered with a
 * {@code reply} event whose payload says what it answers, and custom events only with errors.
 */
final class Request {

  final HubConnection connection;
  final Envelope envelope;
  final boolean binaryOrigin;

  Request(HubConnection connection, Envelope envelope, boolean binaryOrigin) {
    this.connection = connection;
    this.envelope = envelope;
    this.binaryOrigin = binaryOrigin;
  }

  /** Success of a built-in event (join, leave, ping, history); in binary its data joins the reply's payload. */
  void builtInOk(JsonObject data) {
    if (binaryOrigin) {
      connection.writeData("reply", envelope.room(), null, data.copy().mergeIn(binaryReply("ok")).toBuffer(), false);
    } else if (envelope.id() != null) {
      connection.writeFields("reply", jsonReply("ok").put("data", data));
    }
  }

  /**
   * Success of a built-in event whose data is already encoded: a JSON object, written as it is
   * in JSON (in binary, its fields are merged into the reply's payload).
   */
  void builtInOk(Buffer dataObject) {
    if (binaryOrigin) {
      builtInOk(new JsonObject(dataObject));
    } else if (envelope.id() != null) {
      Buffer frame = Buffer.buffer(dataObject.length() + 64)
        .appendString("{\"event\":\"reply\",\"id\":").appendString(Json.encode(envelope.id()))
        .appendString(",\"status\":\"ok\",\"data\":").appendBuffer(dataObject).appendByte((byte) '}');
      connection.writeText(frame.getBytes());
    }
  }

  /** Success of a publish or a direct message: answered only when the request has an id. */
  void deliveredOk() {
    if (!binaryOrigin && envelope.id() != null) {
      connection.writeFields("reply", jsonReply("ok").put("data", new JsonObject()));
    }
  }

  /** Success of a publish to a room with history: answered with its position when the request has an id. */
  void positionedOk(Position position) {
    if (!binaryOrigin && envelope.id() != null) {
      connection.writeFields("reply", jsonReply("ok").put("data", position.toJson()));
    }
  }

  /** A failure of a built-in event. */
  void builtInError(ErrorCode code, String message) {
    if (binaryOrigin) {
      connection.writeData("reply", envelope.room(), null, binaryReply("error").put("error", errorObject(code, message)).toBuffer(), false);
    } else {
      error(code, message);
    }
  }

  /** A failure of anything else: a reply when there is an id, else an {@code error} event. */
  void error(ErrorCode code, String message) {
    if (!binaryOrigin && envelope.id() != null) {
      connection.writeFields("reply", jsonReply("error").put("error", errorObject(code, message)));
    } else {
      connection.writeFields("error", new JsonObject().put("error", errorObject(code, message)));
    }
  }

  /** A handler's answer: always sent, with the request's id when it has one. */
  void handlerReply(Object data) {
    if (binaryOrigin) {
      if (data instanceof Buffer) {
        connection.writeData("reply", envelope.room(), null, (Buffer) data, true);
      } else {
        JsonObject payload = binaryReply("ok");
        if (data != null) {
          payload.put("data", data);
        }
        connection.writeData("reply", envelope.room(), null, payload.toBuffer(), false);
      }
      return;
    }
    JsonObject reply = jsonReply("ok");
    if (data instanceof Buffer) {
      Buffer bytes = (Buffer) data;
      if (Payloads.isJson(bytes)) {
        reply.put("data", Json.decodeValue(bytes));
      } else {
        reply.put("data", Base64.getEncoder().encodeToString(bytes.getBytes())).put("encoding", "base64");
      }
    } else {
      reply.put("data", data);
    }
    connection.writeFields("reply", reply);
  }

  /** Answers a frame that was not dispatched: undecodable, or refused by a limit. */
  static void refuse(HubConnection connection, ErrorCode code, String message, Object id, boolean binaryOrigin) {
    if (!binaryOrigin && id != null) {
      connection.writeFields("reply", new JsonObject().put("id", id).put("status", "error").put("error", errorObject(code, message)));
    } else {
      connection.writeFields("error", new JsonObject().put("error", errorObject(code, message)));
    }
  }

  private JsonObject jsonReply(String status) {
    JsonObject reply = new JsonObject();
    if (envelope.id() != null) {
      reply.put("id", envelope.id());
    }
    return reply.put("status", status);
  }

  private JsonObject binaryReply(String status) {
    JsonObject payload = new JsonObject().put("status", status).put("event", envelope.event());
    if (envelope.room() != null) {
      payload.put("room", envelope.room());
    }
    return payload;
  }

  private static JsonObject errorObject(ErrorCode code, String message) {
    return new JsonObject().put("code", code.wireName()).put("message", message);
  }
}

package io.roomcast.gateway.testing;

import io.roomcast.gateway.Encoding;
import io.roomcast.gateway.Envelope;

/**
 * How a test client speaks: JSON envelopes with request ids, or binary envelopes, which have no
 * ids and get their answers by event. Protocol tests run once per wire.
 */
public enum Wire {
  JSON(Encoding.JSON) {
    @Override
    public void send(TestClient c, Envelope e) {
      c.sendJson(e);
    }

    @Override
    public Msg request(TestClient c, Envelope e) {
      String id = TestClient.newRequestId();
      c.sendJson(e.withId(id));
      return c.takeReply(id);
    }

    @Override
    public Msg failure(TestClient c, Envelope e) {
      Msg reply = request(c, e);
      if (!"error".equals(reply.status())) {
        throw new AssertionError("expected an error reply, got " + reply);
      }
      return reply;
    }
  },

  BINARY(Encoding.BINARY) {
    @Override
    public void send(TestClient c, Envelope e) {
      c.sendBinary(e);
    }

    @Override
    public Msg request(TestClient c, Envelope e) {
      c.sendBinary(e);
      return c.take(m -> "reply".equals(m.event()) && m.data() instanceof io.vertx.core.json.JsonObject
        && e.event().equals(m.dataObject().getString("event")));
    }

    @Override
    public Msg failure(TestClient c, Envelope e) {
      c.sendBinary(e);
      return c.take(m -> ("error".equals(m.event()) && m.error() != null)
        || ("reply".equals(m.event()) && "error".equals(m.status()) && e.event().equals(m.dataObject().getString("event"))));
    }
  };

  private final Encoding encoding;

  Wire(Encoding encoding) {
    this.encoding = encoding;
  }

  /** @return the subprotocol a client of this wire offers */
  public String subprotocol() {
    return encoding.subprotocol();
  }

  /** Sends an envelope without waiting for anything. */
  public abstract void send(TestClient c, Envelope e);

  /** Sends a request and returns the server's reply frame. */
  public abstract Msg request(TestClient c, Envelope e);

  /** Sends a request that must fail and returns the frame that says so. */
  public abstract Msg failure(TestClient c, Envelope e);

  /** Joins a room and checks the reply. */
  public void join(TestClient c, String room) {
    Msg reply = request(c, Envelope.of("join").withRoom(room));
    if (!"ok".equals(reply.status())) {
      throw new AssertionError("join " + room + " failed: " + reply);
    }
  }
}

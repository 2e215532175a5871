package io.roomcast.loadtests.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * The data the harness publishes: {@code {"p":PUBLISHER,"s":SEQUENCE,"t":SENT,"x":"PADDING"}},
 * where SENT is the intended send time in nanoseconds since the harness started (so that a late
 * send still counts its wait), SEQUENCE numbers every message of a run, and PADDING brings the
 * payload to the size asked. Every server passes {@code data} through unchanged and in key order,
 * so a delivery is found by its first key, wherever the server's envelope puts it.
 */
public final class Payload {

  private static final byte[] MARK = Frames.ascii("{\"p\":");
  private static final byte[] SEQUENCE = Frames.ascii(",\"s\":");
  private static final byte[] SENT = Frames.ascii(",\"t\":");

  /** What {@link #read} found. One instance per reading thread. */
  public static final class Fields {
    public int publisher;
    public long sequence;
    public long sent;
  }

  private Payload() {
  }

  /**
   * @param publisher the publisher's number
   * @param sequence the message's number
   * @param sent the intended send time (ns since the harness started)
   * @param padding padding characters, or an empty string
   * @return the payload's JSON text
   */
  public static String json(int publisher, long sequence, long sent, String padding) {
    StringBuilder sb = new StringBuilder(48 + padding.length());
    sb.append("{\"p\":").append(publisher).append(",\"s\":").append(sequence).append(",\"t\":").append(sent);
    if (!padding.isEmpty()) {
      sb.append(",\"x\":\"").append(padding).append('"');
    }
    return sb.append('}').toString();
  }

  /**
   * @return padding that makes {@link #json} about {@code bytes} long for a run's usual numbers
   *     (2-digit publisher, 7-digit sequence, 12-digit time), and none below that
   */
  public static String padding(int bytes) {
    int pad = bytes - 45;
    return pad <= 0 ? "" : "x".repeat(pad);
  }

  /** @return whether a payload was found in the frame; its fields are then in {@code out} */
  public static boolean read(ByteBuf frame, Fields out) {
    int at = Frames.indexOf(frame, MARK, frame.readerIndex());
    if (at < 0) {
      return false;
    }
    int i = at + MARK.length;
    long publisher = Frames.number(frame, i);
    if (publisher < 0) {
      return false;
    }
    i = Frames.skipDigits(frame, i);
    if (!matches(frame, i, SEQUENCE)) {
      return false;
    }
    i += SEQUENCE.length;
    long sequence = Frames.number(frame, i);
    i = Frames.skipDigits(frame, i);
    if (sequence < 0 || !matches(frame, i, SENT)) {
      return false;
    }
    long sent = Frames.number(frame, i + SENT.length);
    if (sent < 0) {
      return false;
    }
    out.publisher = (int) publisher;
    out.sequence = sequence;
    out.sent = sent;
    return true;
  }

  private static boolean matches(ByteBuf frame, int index, byte[] literal) {
    if (index + literal.length > frame.writerIndex()) {
      return false;
    }
    for (int j = 0; j < literal.length; j++) {
      if (frame.getByte(index + j) != literal[j]) {
        return false;
      }
    }
    return true;
  }
}

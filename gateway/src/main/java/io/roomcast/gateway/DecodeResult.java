package io.roomcast.gateway;

/**
 * The outcome of decoding a client frame: an {@link Envelope}, or an error value. Decoding never
 * throws on bad input.
 */
public final class DecodeResult {

  private final Envelope envelope;
  private final ErrorCode error;
  private final String message;
  private final Object requestId;

  private DecodeResult(Envelope envelope, ErrorCode error, String message, Object requestId) {
    this.envelope = envelope;
    this.error = error;
    this.message = message;
    this.requestId = requestId;
  }

  /**
   * @param envelope the decoded envelope
   * @return a successful result
   */
  public static DecodeResult success(Envelope envelope) {
    return new DecodeResult(envelope, null, null, envelope.id());
  }

  /**
   * @param error what is wrong
   * @param message a reason for the client
   * @param requestId the request id when one could be read before the error, else {@code null}
   * @return a failed result
   */
  public static DecodeResult failure(ErrorCode error, String message, Object requestId) {
    return new DecodeResult(null, error, message, requestId);
  }

  /** @return {@code true} when an envelope was decoded */
  public boolean succeeded() {
    return envelope != null;
  }

  /** @return the envelope, or {@code null} on failure */
  public Envelope envelope() {
    return envelope;
  }

  /** @return the error code, or {@code null} on success */
  public ErrorCode error() {
    return error;
  }

  /** @return the reason of the failure, or {@code null} on success */
  public String message() {
    return message;
  }

  /**
   * @return the frame's request id ({@code String} or {@code Long}) when it could be read, so that
   *     a failure can still be answered with a {@code reply}; else {@code null}
   */
  public Object requestId() {
    return requestId;
  }

  @Override
  public String toString() {
    return succeeded() ? "DecodeResult[" + envelope + "]" : "DecodeResult[" + error.wireName() + ": " + message + "]";
  }
}

package io.roomcast.loadtests.bench;

/** Waiting in a mode's thread, where waiting is the point (settling, step lengths). */
final class Pause {

  private Pause() {
  }

  static void seconds(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

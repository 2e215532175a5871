package io.roomcast.loadtests.bench.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Local addresses to connect from, taken in turn: 127.0.0.2, 127.0.0.3, ... Each source address
 * has its own ~28k ephemeral ports (32768-60999 here), so N addresses pass the limit of one.
 */
public final class SourceAddresses {

  private final InetSocketAddress[] addresses;
  private int next;

  /** @param count how many addresses, from 127.0.0.2 up (1 to 200) */
  public SourceAddresses(int count) {
    if (count < 1 || count > 200) {
      throw new IllegalArgumentException("source addresses must be 1 to 200, not " + count);
    }
    addresses = new InetSocketAddress[count];
    for (int i = 0; i < count; i++) {
      try {
        addresses[i] = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}), 0);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** @return the next address, any port */
  public synchronized InetSocketAddress next() {
    InetSocketAddress a = addresses[next];
    next = (next + 1) % addresses.length;
    return a;
  }

  public int count() {
    return addresses.length;
  }
}

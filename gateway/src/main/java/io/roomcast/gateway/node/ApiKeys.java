package io.roomcast.gateway.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Who may use the management API, and for what: the management token may do everything, each
 * API key what its scopes say ({@link ApiKeyOptions}). With neither, the API is open (it is then
 * bound to loopback: NodeOptions.validate). Keys are held as SHA-256 digests and a bearer token is
 * compared with every one of them, each in constant time, so that neither a key, its length nor
 * which key it matched leaks through timing.
 */
final class ApiKeys {

  /** A known bearer: its name (for answers and logs) and what it may do. */
  record Bearer(String name, Set<String> scopes) {

    boolean may(String scope) {
      return scopes.contains(scope) || scopes.contains("admin");
    }
  }

  private record Entry(byte[] digest, Bearer bearer) {
  }

  private final List<Entry> entries = new ArrayList<>();

  /**
   * @param managementToken the token that may do everything, or {@code null}
   * @param keys the scoped keys
   */
  ApiKeys(String managementToken, List<ApiKeyOptions> keys) {
    if (managementToken != null) {
      entries.add(new Entry(sha256(managementToken), new Bearer("management token", Set.of("admin"))));
    }
    for (ApiKeyOptions k : keys) {
      entries.add(new Entry(sha256(k.getKey()), new Bearer(k.getName(), k.getScopes())));
    }
  }

  /** @return whether the API asks for a bearer at all */
  boolean required() {
    return !entries.isEmpty();
  }

  /** @return the bearer this token is, or {@code null} */
  Bearer match(String token) {
    byte[] digest = sha256(token);
    Bearer found = null;
    for (Entry e : entries) {
      // Every entry is compared, also after a match.
      if (MessageDigest.isEqual(e.digest, digest) && found == null) {
        found = e.bearer;
      }
    }
    return found;
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}

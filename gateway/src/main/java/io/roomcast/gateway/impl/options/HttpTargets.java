package io.roomcast.gateway.impl.options;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks of an HTTP backend's URL and headers, for the options that name one (a services rule
 * or an authorizer with a {@code url}). No message quotes a header's value: it may be a key.
 */
public final class HttpTargets {

  /** An HTTP header name: a token (RFC 9110, section 5.1). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private HttpTargets() {
  }

  /**
   * @param what what the URL is for, in messages ("a service's url")
   * @return the URL: absolute, {@code http://} or {@code https://}, with a host and no credentials
   */
  public static String url(String what, String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(what + " is not a URL: " + url + " (" + e.getReason() + ")");
    }
    Checks.require(("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null,
      what + " must be an absolute http:// or https:// URL with a host, got " + url);
    Checks.require(uri.getRawUserInfo() == null, what + " must not carry credentials (give them in \"headers\"), got "
      + uri.getScheme() + "://...@" + uri.getHost());
    return url;
  }

  /**
   * @return the headers: names are HTTP tokens, values have no line breaks, and {@code content-type},
   *     {@code content-length} and {@code host} are Roomcast's
   */
  public static Map<String, String> headers(Map<String, String> headers) {
    Objects.requireNonNull(headers, "headers");
    headers.forEach((name, value) -> {
      Checks.require(name != null && HEADER_NAME.matcher(name).matches(), "a header name must be an HTTP token, got \"" + name + "\"");
      Checks.require(!name.equalsIgnoreCase("content-type") && !name.equalsIgnoreCase("content-length")
        && !name.equalsIgnoreCase("host"), "header \"" + name + "\" is set by Roomcast");
      Checks.require(value != null && value.indexOf('\r') < 0 && value.indexOf('\n') < 0,
        "the value of header \"" + name + "\" must be a string without line breaks");
    });
    return new LinkedHashMap<>(headers);
  }

  /** @return the headers of a JSON object whose values must be strings ({@code null}: none) */
  public static Map<String, String> headers(JsonObject json) {
    Map<String, String> map = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> {
        Checks.require(e.getValue() instanceof String, "header \"" + e.getKey() + "\" must be a string");
        map.put(e.getKey(), (String) e.getValue());
      });
    }
    return headers(map);
  }
}

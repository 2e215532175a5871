package io.roomcast.gateway.node;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The node's {@code --conf} file: the JSON form of {@link NodeOptions}, read strictly. Every
 * problem is an {@code IllegalArgumentException} that names the file. A node key written at the
 * top level, as files did before the {@code "node"} section, is still read; the file then
 * carries a deprecation notice for the node to log.
 */
final class ConfFile {

  private final NodeOptions options;
  private final String deprecation;

  private ConfFile(NodeOptions options, String deprecation) {
    this.options = options;
    this.deprecation = deprecation;
  }

  /**
   * @param file the file's path
   * @return the file read
   * @throws IllegalArgumentException when it cannot be read, is not JSON, or holds a bad option
   */
  static ConfFile read(String file) {
    String text;
    try {
      text = Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--conf " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("--conf " + file + ": cannot read it: " + e.getMessage());
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("--conf " + file + ": not a JSON object: " + e.getMessage());
    }
    NodeOptions options;
    try {
      options = new NodeOptions(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--conf " + file + ": " + e.getMessage(), e);
    }
    return new ConfFile(options, deprecation(file, NodeOptions.topLevelKeys(json)));
  }

  private static String deprecation(String file, List<String> topLevel) {
    if (topLevel.isEmpty()) {
      return null;
    }
    String keys = topLevel.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", "));
    return "--conf " + file + ": " + keys + " at the top level " + (topLevel.size() == 1 ? "is" : "are")
      + " deprecated: move " + (topLevel.size() == 1 ? "it" : "them") + " into the \"" + NodeOptions.SECTION
      + "\" section, e.g. {\"" + NodeOptions.SECTION + "\": {\"" + topLevel.get(0) + "\": ...}}";
  }

  /** @return the options the file holds, over the defaults */
  NodeOptions options() {
    return new NodeOptions(options);
  }

  /** @return the warning about node keys at the top level, or {@code null} when there is none */
  String deprecation() {
    return deprecation;
  }
}

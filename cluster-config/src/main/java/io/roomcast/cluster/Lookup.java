package io.roomcast.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One step of {@link ClusterConfigs}' lookup: the value chosen and which step chose it. */
final class Lookup {

  static final Set<String> NAMES =
      Collections.unmodifiableSet(new LinkedHashSet<>(List.of("loopback", "kubernetes", "private-network")));

  static final String RESOURCE_DIR = "roomcast/cluster/";

  // Hazelcast's wording when a ${...} of a configuration has no value; the name is worth a clearer message.
  private static final Pattern MISSING_VARIABLE = Pattern.compile("replacement for '\\$\\{([^}]+)}'");

  private final String value;
  private final String origin;

  private Lookup(String value, String origin) {
    this.value = value;
    this.origin = origin;
  }

  static Lookup choose(String argument) {
    String property = System.getProperty(ClusterConfigs.PROPERTY);
    if (property != null && !property.isBlank()) {
      return new Lookup(property.strip(), "from system property " + ClusterConfigs.PROPERTY);
    }
    if (argument != null && !argument.isBlank()) {
      return new Lookup(argument.strip(), "from --cluster-config");
    }
    return new Lookup(ClusterConfigs.DEFAULT, "default");
  }

  String describe() {
    if (isShipped()) {
      return "shipped configuration '" + value + "' (" + origin + ")";
    }
    Path path = pathOrNull();
    return "file " + (path != null ? path.toAbsolutePath() : value) + " (" + origin + ")";
  }

  Config load() {
    if (isShipped()) {
      URL url = Lookup.class.getClassLoader().getResource(RESOURCE_DIR + value + ".xml");
      if (url == null) {
        throw new IllegalStateException("the shipped configuration '" + value + "' is missing from the jar ("
            + RESOURCE_DIR + value + ".xml)");
      }
      try (InputStream in = url.openStream()) {
        Config config = parse(in);
        config.setConfigurationUrl(url);
        return config;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the shipped configuration '" + value + "'", e);
      }
    }
    Path path = pathOrNull();
    if (path == null || !Files.exists(path)) {
      throw problem("is neither a shipped configuration nor an existing file"
          + (path != null ? " (looked for " + path.toAbsolutePath() + ")" : ""));
    }
    if (Files.isDirectory(path)) {
      throw problem("is a directory, not a Hazelcast XML file");
    }
    try (InputStream in = Files.newInputStream(path)) {
      Config config = parse(in);
      config.setConfigurationFile(path.toAbsolutePath().toFile());
      return config;
    } catch (IOException e) {
      throw problem("cannot be read: " + e);
    }
  }

  private boolean isShipped() {
    return NAMES.contains(value);
  }

  private Path pathOrNull() {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private Config parse(InputStream in) {
    try {
      return new XmlConfigBuilder(new BufferedInputStream(in)).build();
    } catch (RuntimeException e) {
      // Hazelcast reports bad XML, schema violations and bad values alike as unchecked exceptions.
      String message = String.valueOf(rootCause(e).getMessage());
      Matcher missing = MISSING_VARIABLE.matcher(message);
      if (missing.find()) {
        throw problem("needs the system property " + missing.group(1) + " (-D" + missing.group(1) + "=...)", e);
      }
      throw problem("is not a valid Hazelcast member configuration: " + message, e);
    }
  }

  private IllegalArgumentException problem(String what) {
    return problem(what, null);
  }

  private IllegalArgumentException problem(String what, Throwable cause) {
    return new IllegalArgumentException("cluster configuration '" + value + "' (" + origin + ") " + what
        + "; shipped configurations: " + String.join(", ", NAMES), cause);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}

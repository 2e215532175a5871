package io.roomcast.gateway.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A hub's permission rules, compiled once: the first rule whose room pattern matches decides,
 * and when none matches the action is forbidden (deny by default once rules are given).
 */
public final class Permissions {

  /** What a client asks to do in a room. */
  public enum Action {
    JOIN("join"), PUBLISH("publish");

    final String key;

    Action(String key) {
      this.key = key;
    }
  }

  private static final Set<String> RULE_KEYS = Set.of("room", "join", "publish");
  private static final Set<String> CLAIM_KEYS = Set.of("claim", "equals");

  private final List<Rule> rules;

  private Permissions(List<Rule> rules) {
    this.rules = rules;
  }

  /**
   * @param json the rules
   * @return them compiled
   * @throws IllegalArgumentException naming the first bad rule
   */
  public static Permissions compile(JsonArray json) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      Object item = json.getValue(i);
      String where = "permissions[" + i + "]";
      if (!(item instanceof JsonObject)) {
        throw new IllegalArgumentException(where + " must be an object");
      }
      JsonObject rule = (JsonObject) item;
      for (String key : rule.fieldNames()) {
        if (!RULE_KEYS.contains(key)) {
          throw new IllegalArgumentException(where + " has an unknown key \"" + key + "\"");
        }
      }
      if (!(rule.getValue("room") instanceof String) || rule.getString("room").isEmpty()) {
        throw new IllegalArgumentException(where + ".room must be a non-empty pattern");
      }
      rules.add(new Rule(RoomPattern.compile(rule.getString("room")),
        condition(rule.getValue("join"), where + ".join"),
        condition(rule.getValue("publish"), where + ".publish")));
    }
    return new Permissions(rules);
  }

  private static Predicate<JsonObject> condition(Object rule, String where) {
    if (rule == null || Boolean.FALSE.equals(rule)) {
      return claims -> false;
    }
    if (Boolean.TRUE.equals(rule)) {
      return claims -> true;
    }
    if (rule instanceof JsonObject) {
      JsonObject spec = (JsonObject) rule;
      for (String key : spec.fieldNames()) {
        if (!CLAIM_KEYS.contains(key)) {
          throw new IllegalArgumentException(where + " has an unknown key \"" + key + "\"");
        }
      }
      if (!(spec.getValue("claim") instanceof String) || !spec.containsKey("equals")) {
        throw new IllegalArgumentException(where + " must be true, false or {\"claim\": NAME, \"equals\": VALUE}");
      }
      String claim = spec.getString("claim");
      Object expected = spec.getValue("equals");
      return claims -> claimMatches(claims.getValue(claim), expected);
    }
    throw new IllegalArgumentException(where + " must be true, false or {\"claim\": NAME, \"equals\": VALUE}");
  }

  private static boolean claimMatches(Object actual, Object expected) {
    if (actual instanceof JsonArray) {
      for (Object item : (JsonArray) actual) {
        if (sameValue(item, expected)) {
          return true;
        }
      }
      return false;
    }
    return sameValue(actual, expected);
  }

  private static boolean sameValue(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    return a != null && a.equals(b);
  }

  /**
   * @param action join or publish
   * @param room the room
   * @param claims the connection's claims (never null)
   * @return whether it is allowed
   */
  public boolean allows(Action action, String room, JsonObject claims) {
    for (Rule rule : rules) {
      if (rule.room.matches(room)) {
        return (action == Action.JOIN ? rule.join : rule.publish).test(claims);
      }
    }
    return false;
  }

  private record Rule(RoomPattern room, Predicate<JsonObject> join, Predicate<JsonObject> publish) {
  }
}

package io.roomcast.gateway.node.admin;

/**
 * The data of {@code publish} and {@code send}: any JSON value, {@code null} included; a command
 * without data has no {@code JsonData} at all.
 *
 * @param value the decoded value: a {@code JsonObject}, {@code JsonArray}, string, number, boolean or {@code null}
 */
public record JsonData(Object value) {
}

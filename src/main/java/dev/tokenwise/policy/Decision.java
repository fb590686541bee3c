package dev.tokenwise.policy;

/**
 * What a stage did to a request, kept in its trace: never rewrite silently.
 *
 * @param stage the stage's name
 * @param change what changed, e.g. {@code route openai/gpt-4o}
 */
public record Decision(String stage, String change) {}

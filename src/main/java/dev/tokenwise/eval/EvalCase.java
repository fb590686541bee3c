package dev.tokenwise.eval;

/**
 * One eval item as a scorer sees it.
 *
 * @param id the item's id, for notes and records
 * @param input the conversation rendered as readable text ("system:\n…\n\nuser:\n…")
 * @param reference the expected output or the production answer, or null
 * @param rubric grading instructions, or null
 */
public record EvalCase(String id, String input, String reference, String rubric) {
}

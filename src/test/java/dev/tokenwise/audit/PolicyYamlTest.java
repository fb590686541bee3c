package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class PolicyYamlTest {
  @Test
  void writes_the_policy_in_flow_style() {
    Map<String, Object> cache = new LinkedHashMap<>();
    cache.put("exact", true);
    cache.put("ttl", "1h");
    assertEquals("- match: { pattern: faq-bot }\n  cache: { exact: true, ttl: 1h }\n",
        PolicyYaml.of(new Recommendation("cache-exact/faq-bot", "faq-bot", "cache", cache, false, null)));
    assertEquals("- match: { pattern: fp-3a9c }\n  prompt_cache: auto\n",
        PolicyYaml.of(new Recommendation("prompt-cache/fp-3a9c", "fp-3a9c", "prompt_cache", "auto", false, null)));
    assertEquals("- match: { pattern: chat }\n  fallback: [ openai/gpt-4o-mini, groq/llama-3.3-70b ]\n",
        PolicyYaml.of(new Recommendation("fallback/chat", "chat", "fallback",
            List.of("openai/gpt-4o-mini", "groq/llama-3.3-70b"), false, null)));
  }

  @Test
  void quotes_what_yaml_would_read_otherwise_and_reads_back_the_same() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("threshold", new BigDecimal("0.90"));
    value.put("model", "yes");
    value.put("note", "a: b, {c} # d");
    value.put("n", 42);
    value.put("empty", List.of());
    Recommendation r = new Recommendation("x/y", "it's \"quoted\"\n", "cache", value, false, null);
    String yaml = PolicyYaml.of(r);
    assertEquals("- match: { pattern: \"it's \\\"quoted\\\"\\n\" }\n"
        + "  cache: { threshold: 0.90, model: yes, note: \"a: b, {c} # d\", n: 42, empty: [] }\n", yaml);
    Object read = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    Map<?, ?> policy = (Map<?, ?>) ((List<?>) read).get(0);
    assertEquals(Map.of("pattern", "it's \"quoted\"\n"), policy.get("match"));
    Map<?, ?> cache = (Map<?, ?>) policy.get("cache");
    assertEquals("yes", cache.get("model"));
    assertEquals("a: b, {c} # d", cache.get("note"));
    assertEquals(42, cache.get("n"));
    for (String s : List.of("1h", "gpt-4o-mini", "true", "null", "12", "1e3", "-x", ":x", "a,b", "[x]", "~", "")) {
      Object back = new Load(LoadSettings.builder().build()).loadFromString("k: " + YamlValues.scalar(s));
      assertEquals(s, ((Map<?, ?>) back).get("k"), s + " as " + YamlValues.scalar(s));
    }
  }
}

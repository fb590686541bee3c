package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreTest {

  @Test
  void a_value_outside_zero_to_one_or_a_negative_cost_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> new Score(1.01, true, "", 0, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new Score(-0.1, false, "", 0, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new Score(Double.NaN, false, "", 0, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new Score(0.5, false, "", -1, Map.of()));
  }

  @Test
  void the_detail_is_a_copy_in_the_order_given() {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("z", 1);
    detail.put("a", 2);
    Score s = new Score(0.5, false, null, 0, detail);
    detail.put("later", 3);
    assertEquals(List.of("z", "a"), List.copyOf(s.detail().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> s.detail().put("x", 1));
    assertEquals("", s.note());
    assertEquals(Map.of(), new Score(0, false, "n", 0, null).detail());
    assertEquals(Map.of(), new Score(0, false, "n", 0, new HashMap<>()).detail());
  }
}

package dev.tokenwise.cache.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VectorIndexTest {
  private static final int DIMS = 384;

  @Test
  void finds_the_nearest_first_with_cosines_close_to_exact() {
    Random rnd = new Random(1);
    VectorIndex index = new VectorIndex(DIMS, 100);
    float[] q = unit(gaussian(rnd));
    float[] near = unit(mix(q, gaussian(rnd), 0.3f));
    float[] nearer = unit(mix(q, gaussian(rnd), 0.1f));
    index.add("s", "near", "near question", near, 1);
    index.add("s", "nearer", "nearer question", nearer, 2);
    index.add("s", "far", "far question", unit(gaussian(rnd)), 3);
    List<VectorIndex.Candidate> found = index.nearest("s", q, 0.5f, 10);
    assertEquals(List.of("nearer", "near"), found.stream().map(VectorIndex.Candidate::key).toList());
    assertEquals(dot(q, nearer), found.get(0).score(), 0.005);
    assertEquals("nearer question", found.get(0).query());
    assertEquals(1, index.nearest("s", q, 0.5f, 1).size());
  }

  @Test
  void the_sign_code_pass_loses_no_close_neighbour_against_brute_force() {
    // Clustered vectors sharing one bias, like sentence embeddings: a thousand entries to a cluster
    // agree in most signs, more than the sign-code pass hands on, which is its hard case.
    Random rnd = new Random(7);
    float[] bias = gaussian(rnd);
    List<float[]> centres = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      centres.add(unit(mix(bias, gaussian(rnd), 1f)));
    }
    int n = 10_000;
    VectorIndex index = new VectorIndex(DIMS, n);
    List<float[]> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = unit(mix(centres.get(i % centres.size()), gaussian(rnd), 0.05f + 0.6f * rnd.nextFloat()));
      all.add(v);
      index.add("one", "k" + i, "q" + i, v, i);
    }
    int expected = 0;
    int found = 0;
    for (int t = 0; t < 100; t++) {
      float[] q = unit(mix(centres.get(rnd.nextInt(centres.size())), gaussian(rnd), 0.1f + 0.3f * rnd.nextFloat()));
      Set<String> got = new HashSet<>();
      for (VectorIndex.Candidate c : index.nearest("one", q, 0.75f, 10)) {
        got.add(c.key());
      }
      List<Integer> best = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (dot(q, all.get(i)) >= 0.76f) {
          best.add(i);
        }
      }
      best.sort((x, y) -> Float.compare(dot(q, all.get(y)), dot(q, all.get(x))));
      for (int i : best.subList(0, Math.min(5, best.size()))) {
        expected++;
        found += got.contains("k" + i) ? 1 : 0;
      }
    }
    assertTrue(expected > 150, "the test should have close neighbours to find, had " + expected);
    System.out.printf("sign-code recall: %d of %d%n", found, expected);
    assertTrue(found >= 0.99 * expected, "recall " + found + " of " + expected);
  }

  @Test
  void evicts_the_entry_added_first_when_full() {
    VectorIndex index = new VectorIndex(DIMS, 3);
    Random rnd = new Random(3);
    float[] v = unit(gaussian(rnd));
    for (int i = 0; i < 4; i++) {
      index.add("s", "k" + i, "q", v, i);
    }
    assertEquals(3, index.size());
    Set<String> keys = new HashSet<>();
    index.nearest("s", v, 0.9f, 10).forEach(c -> keys.add(c.key()));
    assertEquals(Set.of("k1", "k2", "k3"), keys);
  }

  @Test
  void never_answers_from_another_scope() {
    VectorIndex index = new VectorIndex(DIMS, 10);
    float[] v = unit(gaussian(new Random(4)));
    index.add("tenant-a", "a", "q", v, 1);
    assertTrue(index.nearest("tenant-b", v, 0.1f, 10).isEmpty());
    assertEquals(1, index.nearest("tenant-a", v, 0.1f, 10).size());
  }

  @Test
  void removes_by_key_by_filter_and_all_at_once() {
    VectorIndex index = new VectorIndex(DIMS, 100);
    Random rnd = new Random(5);
    float[] v = unit(gaussian(rnd));
    for (int i = 0; i < 10; i++) {
      index.add(i % 2 == 0 ? "even" : "odd", "k" + i, "q" + i, v, i);
    }
    assertTrue(index.remove("k0"));
    assertFalse(index.remove("k0"));
    assertEquals(9, index.size());
    assertEquals(3, index.removeIf(e -> e.createdMillis() >= 4 && e.scope().equals("even")));
    assertEquals(List.of("k2"), index.nearest("even", v, 0.5f, 10).stream().map(VectorIndex.Candidate::key).toList());
    assertEquals(5, index.nearest("odd", v, 0.5f, 10).size());
    index.clear();
    assertEquals(0, index.size());
    assertTrue(index.nearest("odd", v, 0.5f, 10).isEmpty());
  }

  @Test
  void a_key_added_again_replaces_its_entry() {
    VectorIndex index = new VectorIndex(DIMS, 10);
    Random rnd = new Random(6);
    float[] first = unit(gaussian(rnd));
    float[] second = unit(gaussian(rnd));
    index.add("s", "k", "first", first, 1);
    index.add("s", "k", "second", second, 2);
    assertEquals(1, index.size());
    assertTrue(index.nearest("s", first, 0.5f, 10).isEmpty());
    assertEquals("second", index.nearest("s", second, 0.5f, 10).get(0).query());
  }

  @Test
  void counts_its_bytes_and_gives_them_back() {
    VectorIndex index = new VectorIndex(DIMS, 10_000);
    Random rnd = new Random(8);
    long empty = index.bytes();
    for (int i = 0; i < 1_000; i++) {
      index.add("s", "key-" + i, "question " + i, unit(gaussian(rnd)), i);
    }
    long full = index.bytes();
    assertTrue(full - empty > 1_000L * (DIMS + 48), "bytes " + full);
    assertTrue(full - empty < 1_000L * 1_000, "bytes " + full);
    index.removeIf(e -> true);
    assertTrue(index.bytes() < full / 10);
  }

  static float[] gaussian(Random rnd) {
    float[] v = new float[DIMS];
    for (int i = 0; i < DIMS; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  static float[] mix(float[] base, float[] noise, float weight) {
    float nb = (float) Math.sqrt(dot(base, base));
    float nn = (float) Math.sqrt(dot(noise, noise));
    float[] v = new float[base.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = base[i] / nb + weight * noise[i] / nn;
    }
    return v;
  }

  static float[] unit(float[] v) {
    float n = (float) Math.sqrt(dot(v, v));
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      u[i] = v[i] / n;
    }
    return u;
  }

  static float dot(float[] a, float[] b) {
    float d = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] * b[i];
    }
    return d;
  }
}

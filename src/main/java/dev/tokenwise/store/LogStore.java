package dev.tokenwise.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The request log: SQLite (WAL) on one machine, PostgreSQL for several gateway instances. Writes come
 * only from {@link AsyncLogWriter}, in batches.
 */
public interface LogStore extends AutoCloseable {

  /** Writes rows, each with its attempts, in one transaction. */
  void insert(List<RequestRecord> rows);

  /** One row by request id, with its attempts. */
  Optional<RequestRecord> find(String id);

  /** The newest rows first, at most {@code limit}, with their attempts. */
  List<RequestRecord> recent(int limit);

  /**
   * The newest rows of a pattern that were answered (status 200), newest first, at most {@code limit},
   * with their bodies when stored and without their attempts: what an eval set is drawn from.
   */
  List<RequestRecord> recentAnswered(String pattern, int limit);

  /** Rows whose time is in {@code [from, to)}, oldest first, without their attempts (reports over periods need none). */
  List<RequestRecord> between(Instant from, Instant to);

  /**
   * Passes every row whose time is in {@code [from, to)} to {@code sink}, oldest first, as the audit
   * reads them (figures and shape, no bodies), without holding them.
   */
  default void scanCalls(Instant from, Instant to, java.util.function.Consumer<CallRow> sink) {
    scanCalls(from, to, null, sink);
  }

  /**
   * As {@link #scanCalls(Instant, Instant, java.util.function.Consumer)}, for these patterns only (null: all);
   * with patterns, each pattern's rows come together, oldest first.
   */
  void scanCalls(Instant from, Instant to, java.util.Collection<String> patterns,
      java.util.function.Consumer<CallRow> sink);

  /** The rows of {@code [from, to)} summed per pattern, provider, model, tenant and day. */
  List<SpendGroup> spendGroups(Instant from, Instant to);

  /** The {@code savings: …} entries of the traces of rows in {@code [from, to)} that have any, one string a row. */
  void scanSavings(Instant from, Instant to, java.util.function.Consumer<String> sink);

  /** The upstream attempts that did not answer, of calls in {@code [from, to)}, oldest first. */
  List<FailedAttempt> failedAttempts(Instant from, Instant to);

  /**
   * Drops the stored bodies of rows older than {@code before} (and the shadow pairs' answer texts of that
   * age); returns how many request rows changed.
   */
  int pruneBodies(Instant before);

  /** Total rows held. */
  long count();

  /**
   * The response cache's table in the same database, sharing this store's connections; it closes with
   * the store.
   *
   * @throws UnsupportedOperationException when this store keeps no such table
   */
  default AnswerTable answers() {
    throw new UnsupportedOperationException(this + " keeps no response cache table");
  }

  /**
   * The spend guard's alerts in the same database, sharing this store's connections; it closes with the
   * store.
   *
   * @throws UnsupportedOperationException when this store keeps no such table
   */
  default AlertTable alerts() {
    throw new UnsupportedOperationException(this + " keeps no alert table");
  }

  /**
   * The model-eval sweeps in the same database, sharing this store's connections; it closes with the
   * store.
   *
   * @throws UnsupportedOperationException when this store keeps no such tables
   */
  default EvalTable evals() {
    throw new UnsupportedOperationException(this + " keeps no eval tables");
  }

  /**
   * The shadow tests' pairs in the same database, sharing this store's connections; it closes with the
   * store.
   *
   * @throws UnsupportedOperationException when this store keeps no such table
   */
  default ShadowTable shadows() {
    throw new UnsupportedOperationException(this + " keeps no shadow table");
  }

  @Override
  void close();
}

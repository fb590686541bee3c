package dev.tokenwise.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A store that passes every call to a real one; tests override the calls they watch or break. */
class ForwardingStore implements LogStore {
  private final LogStore delegate;

  ForwardingStore(LogStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void insert(List<RequestRecord> rows) {
    delegate.insert(rows);
  }

  @Override
  public Optional<RequestRecord> find(String id) {
    return delegate.find(id);
  }

  @Override
  public List<RequestRecord> recent(int limit) {
    return delegate.recent(limit);
  }

  @Override
  public List<RequestRecord> recentAnswered(String pattern, int limit) {
    return delegate.recentAnswered(pattern, limit);
  }

  @Override
  public void scanCalls(Instant from, Instant to, java.util.Collection<String> patterns,
      java.util.function.Consumer<CallRow> sink) {
    delegate.scanCalls(from, to, patterns, sink);
  }

  @Override
  public List<SpendGroup> spendGroups(Instant from, Instant to) {
    return delegate.spendGroups(from, to);
  }

  @Override
  public void scanSavings(Instant from, Instant to, java.util.function.Consumer<String> sink) {
    delegate.scanSavings(from, to, sink);
  }

  @Override
  public List<FailedAttempt> failedAttempts(Instant from, Instant to) {
    return delegate.failedAttempts(from, to);
  }

  @Override
  public List<RequestRecord> between(Instant from, Instant to) {
    return delegate.between(from, to);
  }

  @Override
  public int pruneBodies(Instant before) {
    return delegate.pruneBodies(before);
  }

  @Override
  public long count() {
    return delegate.count();
  }

  @Override
  public AnswerTable answers() {
    return delegate.answers();
  }

  @Override
  public AlertTable alerts() {
    return delegate.alerts();
  }

  @Override
  public EvalTable evals() {
    return delegate.evals();
  }

  @Override
  public ShadowTable shadows() {
    return delegate.shadows();
  }

  @Override
  public void close() {
    delegate.close();
  }
}

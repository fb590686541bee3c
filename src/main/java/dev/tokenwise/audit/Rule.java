package dev.tokenwise.audit;

import java.util.List;

/**
 * One kind of waste the audit looks for in a pattern's calls. A rule reads only what it is given (the
 * calls, the prices, the failed attempts) and says nothing when its waste is absent or its fix would
 * not pay: an empty list is the common answer.
 */
public interface Rule {

  /** Short and stable, the first half of its recommendations' ids: {@code cache-exact}, {@code cap}. */
  String id();

  /** The findings for one pattern, or none. */
  List<Finding> check(PatternCalls calls, AuditContext context);
}

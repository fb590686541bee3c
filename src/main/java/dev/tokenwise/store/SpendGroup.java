package dev.tokenwise.store;

/**
 * The request log's rows of one period summed per pattern, provider, model, tenant and day (UTC): what
 * the audit's spend tables, growth and chart are made of, computed by the database in one pass.
 * Money is in picodollars; a null text means the rows had none.
 *
 * @param pattern the rows' pattern, or null
 * @param provider the provider that served them, or null when none was reached
 * @param model the model used, else the one asked for, or null
 * @param tenant the tenant, or null
 * @param day days since 1970-01-01 (UTC)
 * @param calls rows
 * @param spendPicoUsd their summed cost (unknown costs count nothing)
 * @param unknownCost rows whose cost is unknown
 * @param baselinePicoUsd summed baseline of the rows with both a cost and a baseline
 * @param actualPicoUsd summed cost of those same rows
 * @param withBaseline how many rows those are
 * @param errors rows answered with a status of 400 or more
 * @param promptTokens every input token (full price, cached and written)
 * @param outputTokens output tokens
 * @param unshaped rows kept without a shape
 */
public record SpendGroup(String pattern, String provider, String model, String tenant, long day, long calls,
    long spendPicoUsd, long unknownCost, long baselinePicoUsd, long actualPicoUsd, long withBaseline, long errors,
    long promptTokens, long outputTokens, long unshaped) {}

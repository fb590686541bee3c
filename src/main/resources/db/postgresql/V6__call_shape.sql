-- The shape of each call's bodies (see CallShape): hashes and sizes the audit reads instead of the bodies,
-- kept even when bodies are not. NULL on rows logged before this version.
ALTER TABLE requests ADD COLUMN request_hash BIGINT;
ALTER TABLE requests ADD COLUMN query_hash BIGINT;
ALTER TABLE requests ADD COLUMN prefix_hash BIGINT;
ALTER TABLE requests ADD COLUMN prefix_masked_hash BIGINT;
ALTER TABLE requests ADD COLUMN prefix_tokens INTEGER;
ALTER TABLE requests ADD COLUMN turns INTEGER;
ALTER TABLE requests ADD COLUMN max_tokens INTEGER;
ALTER TABLE requests ADD COLUMN answer_hash BIGINT;
ALTER TABLE requests ADD COLUMN shape_flags INTEGER;

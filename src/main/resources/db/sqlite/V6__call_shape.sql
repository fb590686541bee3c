-- The shape of each call's bodies (see CallShape): the hashes and sizes the audit reads instead of the
-- bodies, kept even when bodies are not; 56 bytes, big-endian: request, query, prefix and masked-prefix
-- hashes (8 bytes each), prefix tokens, turns and max_tokens (4 each), answer hash (8), flags (4).
-- NULL on rows logged before this version.
ALTER TABLE requests ADD COLUMN shape BLOB;

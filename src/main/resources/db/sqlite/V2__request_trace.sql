-- What the gateway's stages changed in each request, as the x-tokenwise-trace header showed it.
ALTER TABLE requests ADD COLUMN trace TEXT;

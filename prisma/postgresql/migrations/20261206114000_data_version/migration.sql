-- The archive's version, for the web servers' page caches (lib/db/data-version.mjs):
-- PostgreSQL's stand-in for SQLite's PRAGMA data_version. Every statement that
-- writes a model table moves it on, inside the writer's transaction, so that a
-- server sees the new version exactly when it sees the new rows (a sequence
-- would move before the commit, and a page rendered from the old rows could be
-- kept under the new version). Writers of one archive serialize on this row
-- until they commit, as they take SQLite's write lock.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO data_version (id, n) VALUES (1, 0);

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

-- Each model table (tests/db/drift.test.ts checks that none is missing).
DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['List', 'MessageList', 'ThreadList', 'Message', 'MessageText', 'MessageRaw', 'RawBlock',
        'MessageCopy', 'Attachment', 'Thread', 'QuoteLink', 'Claim', 'LinkQueue', 'OwedWork', 'Source', 'RemovedMessage'] LOOP
        EXECUTE format('CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()', t);
    END LOOP;
END
$$;

-- Full-text search on PostgreSQL (lib/search/postgres), the design of SQLite's
-- (prisma/migrations/20261125090000_search and 20261125110000_message_text) in
-- PostgreSQL's terms. Written by hand; none of these tables is a Prisma model:
-- lib/db/search-tables.ts names them (POSTGRES_EXTERNAL_TABLES) so that a
-- schema diff leaves them alone.
--
-- Each hit is one row with one tsvector of all its fields, written by
-- lib/search/postgres/document.ts from the words lib/search/tokens.ts makes,
-- never by PostgreSQL's own parser (which splits page_mkwrite at '_' and keeps
-- diacritics): each word tagged with its field, at its position in the field,
-- with the weight class of the field for ts_rank. Queries are tsqueries of
-- the same tagged words (lib/search/postgres/compile.ts).

-- Messages and ghosts, and their dates: d: filters and newest-first order read
-- these narrow rows, as SQLite's search_dates. Kept by the indexer from the
-- queue below; no foreign key, as SQLite's index has none: a deleted message's
-- row goes when the indexer takes it off the queue.
CREATE TABLE message_search (
    "messageId" INTEGER PRIMARY KEY,
    "date" TIMESTAMP(3),
    "document" TSVECTOR NOT NULL
);
CREATE INDEX message_search_document_idx ON message_search USING GIN ("document");
CREATE INDEX message_search_date_idx ON message_search ("date");

-- Messages whose row is out of date, queued by the triggers below whoever writes
-- "Message" or "MessageText". SQLite's queue holds each message once, its one
-- writer at a time; here a change committed while the indexer reads would be
-- lost if it found its message queued already. So every change queues an
-- entry of its own, and the indexer takes off only the entries it saw before
-- it read the messages (lib/search/postgres/indexer.ts).
CREATE TABLE search_queue (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "messageId" INTEGER NOT NULL
);
CREATE INDEX search_queue_message_idx ON search_queue ("messageId");

-- Rows added or removed are queued per statement (a COPY of 50,000 messages is
-- one insert into the queue); rows changed per row, and only when a column the
-- index reads changed (re-threading rewrites the others).
CREATE FUNCTION queue_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue ("messageId") SELECT id FROM changed;
    RETURN NULL;
END
$$;

CREATE FUNCTION queue_message_texts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue ("messageId") SELECT "messageId" FROM changed;
    RETURN NULL;
END
$$;

CREATE FUNCTION queue_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue ("messageId") VALUES (NEW.id);
    RETURN NULL;
END
$$;

CREATE FUNCTION queue_message_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_queue ("messageId") VALUES (NEW."messageId");
    RETURN NULL;
END
$$;

CREATE TRIGGER message_search_insert AFTER INSERT ON "Message"
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION queue_messages();

CREATE TRIGGER message_search_update AFTER UPDATE OF "subject", "fromName", "fromAddress", "toJson", "ccJson", "date" ON "Message"
FOR EACH ROW WHEN (OLD."subject" IS DISTINCT FROM NEW."subject" OR OLD."fromName" IS DISTINCT FROM NEW."fromName"
    OR OLD."fromAddress" IS DISTINCT FROM NEW."fromAddress" OR OLD."toJson" IS DISTINCT FROM NEW."toJson"
    OR OLD."ccJson" IS DISTINCT FROM NEW."ccJson" OR OLD."date" IS DISTINCT FROM NEW."date")
EXECUTE FUNCTION queue_message();

CREATE TRIGGER message_search_delete AFTER DELETE ON "Message"
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION queue_messages();

CREATE TRIGGER message_text_search_insert AFTER INSERT ON "MessageText"
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION queue_message_texts();

CREATE TRIGGER message_text_search_update AFTER UPDATE OF "body", "segmentsJson" ON "MessageText"
FOR EACH ROW WHEN (OLD."body" IS DISTINCT FROM NEW."body" OR OLD."segmentsJson" IS DISTINCT FROM NEW."segmentsJson")
EXECUTE FUNCTION queue_message_text();

CREATE TRIGGER message_text_search_delete AFTER DELETE ON "MessageText"
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION queue_message_texts();

-- Mail stored before this migration (an archive copied in) is indexed by the next refresh.
INSERT INTO search_queue ("messageId") SELECT id FROM "Message";

-- Claims: SQLite's triggers index a claim's columns as they are; here the
-- words come from JavaScript, so the triggers queue the claim and the indexer
-- indexes it, as it does messages.
CREATE TABLE claim_search (
    "claimId" INTEGER PRIMARY KEY,
    "document" TSVECTOR NOT NULL
);
CREATE INDEX claim_search_document_idx ON claim_search USING GIN ("document");

CREATE TABLE claim_search_queue (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "claimId" INTEGER NOT NULL
);
CREATE INDEX claim_search_queue_claim_idx ON claim_search_queue ("claimId");

CREATE FUNCTION queue_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claim_search_queue ("claimId") SELECT id FROM changed;
    RETURN NULL;
END
$$;

CREATE FUNCTION queue_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claim_search_queue ("claimId") VALUES (NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER claim_search_insert AFTER INSERT ON "Claim"
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION queue_claims();

CREATE TRIGGER claim_search_update AFTER UPDATE OF "statement", "claimant", "exact" ON "Claim"
FOR EACH ROW WHEN (OLD."statement" IS DISTINCT FROM NEW."statement" OR OLD."claimant" IS DISTINCT FROM NEW."claimant"
    OR OLD."exact" IS DISTINCT FROM NEW."exact")
EXECUTE FUNCTION queue_claim();

CREATE TRIGGER claim_search_delete AFTER DELETE ON "Claim"
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION queue_claims();

INSERT INTO claim_search_queue ("claimId") SELECT id FROM "Claim";

-- Scenarios live in content/scenarios/*.md, not in the database: this is their
-- only copy here, refilled whole by the indexer. A handful of rows: no index.
CREATE TABLE scenario_search (
    id INTEGER PRIMARY KEY,
    "scenario" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "prose" TEXT NOT NULL,
    "document" TSVECTOR NOT NULL
);

-- What the search page shows changes with these tables: they move the archive's
-- version on, as the model tables do (20261206114000_data_version).
DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['message_search', 'search_queue', 'claim_search', 'claim_search_queue', 'scenario_search'] LOOP
        EXECUTE format('CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()', t);
    END LOOP;
END
$$;

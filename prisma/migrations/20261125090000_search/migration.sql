-- Full-text search (lib/search). Written by hand: Prisma cannot express FTS5
-- virtual tables or triggers. None of these objects is a Prisma model; the
-- migrator names them as external tables (lib/search/tables.ts) so that a
-- schema diff leaves them alone. Every table uses the tokenizer of
-- lib/search/tokens.ts: unicode61 with '_' as a word character.

-- Messages. A contentless index (content=''): it holds the words, never the
-- text. An external-content table over a view of "Message" would have to
-- cut new, quoted and patch text out of the body in SQL, and SQLite's
-- substr() counts code points where Message.segmentsJson counts UTF-16 units,
-- so any message with a character outside the BMP would be cut wrong; worse,
-- FTS5 deletes a row of an external-content table by re-reading the old text,
-- which is gone once ingest has rewritten a ghost or a re-segmented message.
-- contentless_delete=1 deletes by rowid alone. lib/search/fields.ts cuts the
-- columns in JavaScript, from the same body and segments, both for indexing
-- and for the snippets of the hits shown. rowid = "Message".id.
CREATE VIRTUAL TABLE "message_fts" USING fts5(
    subject, sender, recipients, copied,
    new_text, quoted_text, diff_files, diff_removed, diff_added, diff_context,
    content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);

-- Messages whose index row is out of date: queued by the triggers below,
-- whoever writes "Message" (ingest's writer, Prisma, a shell), and indexed
-- by lib/search/indexer.ts refreshSearchIndex().
CREATE TABLE "search_queue" (
    "messageId" INTEGER NOT NULL PRIMARY KEY
) WITHOUT ROWID;

-- The date of every indexed message, in narrow rows with an index of their
-- own: d: filters and newest-first order read these instead of the wide
-- "Message" rows, whose bodies sit between their dates. Kept by the indexer.
CREATE TABLE "search_dates" (
    "messageId" INTEGER NOT NULL PRIMARY KEY,
    "date" DATETIME
);
CREATE INDEX "search_dates_date_idx" ON "search_dates" ("date");

CREATE TRIGGER "message_search_insert" AFTER INSERT ON "Message" BEGIN
    INSERT OR IGNORE INTO "search_queue" ("messageId") VALUES (NEW."id");
END;

-- Only the columns the index reads; re-threading rewrites the others.
CREATE TRIGGER "message_search_update" AFTER UPDATE OF "subject", "fromName", "fromAddress", "toJson", "ccJson", "body", "segmentsJson", "date" ON "Message"
WHEN OLD."subject" IS NOT NEW."subject" OR OLD."fromName" IS NOT NEW."fromName" OR OLD."fromAddress" IS NOT NEW."fromAddress"
  OR OLD."toJson" IS NOT NEW."toJson" OR OLD."ccJson" IS NOT NEW."ccJson" OR OLD."body" IS NOT NEW."body" OR OLD."segmentsJson" IS NOT NEW."segmentsJson"
  OR OLD."date" IS NOT NEW."date"
BEGIN
    INSERT OR IGNORE INTO "search_queue" ("messageId") VALUES (NEW."id");
END;

CREATE TRIGGER "message_search_delete" AFTER DELETE ON "Message" BEGIN
    INSERT OR IGNORE INTO "search_queue" ("messageId") VALUES (OLD."id");
END;

-- Mail stored before this migration is indexed by the next refresh.
INSERT INTO "search_queue" ("messageId") SELECT "id" FROM "Message";

-- Claims: an external-content index over "Claim" itself, whose columns are
-- the text indexed as is, kept in step by the classic FTS5 triggers.
CREATE VIRTUAL TABLE "claim_fts" USING fts5(
    statement, claimant, exact,
    content = 'Claim', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);

CREATE TRIGGER "claim_search_insert" AFTER INSERT ON "Claim" BEGIN
    INSERT INTO "claim_fts" (rowid, statement, claimant, exact) VALUES (NEW."id", NEW."statement", NEW."claimant", NEW."exact");
END;

CREATE TRIGGER "claim_search_delete" AFTER DELETE ON "Claim" BEGIN
    INSERT INTO "claim_fts" ("claim_fts", rowid, statement, claimant, exact) VALUES ('delete', OLD."id", OLD."statement", OLD."claimant", OLD."exact");
END;

CREATE TRIGGER "claim_search_update" AFTER UPDATE OF "statement", "claimant", "exact" ON "Claim" BEGIN
    INSERT INTO "claim_fts" ("claim_fts", rowid, statement, claimant, exact) VALUES ('delete', OLD."id", OLD."statement", OLD."claimant", OLD."exact");
    INSERT INTO "claim_fts" (rowid, statement, claimant, exact) VALUES (NEW."id", NEW."statement", NEW."claimant", NEW."exact");
END;

INSERT INTO "claim_fts" ("claim_fts") VALUES ('rebuild');

-- Scenarios live in content/scenarios/*.md, not in the database: this is
-- their only copy here, an ordinary FTS5 table, refilled by indexScenarios().
CREATE VIRTUAL TABLE "scenario_fts" USING fts5(
    scenario UNINDEXED, title, prose,
    tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);

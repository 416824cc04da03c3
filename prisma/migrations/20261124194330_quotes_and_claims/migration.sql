-- CreateTable
CREATE TABLE "QuoteLink" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" INTEGER NOT NULL,
    "segment" INTEGER NOT NULL,
    "sourceId" INTEGER,
    "sourceStart" INTEGER,
    "sourceEnd" INTEGER,
    "match" TEXT NOT NULL,
    "score" REAL NOT NULL,
    CONSTRAINT "QuoteLink_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "QuoteLink_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Message" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Claim" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "messageId" INTEGER NOT NULL,
    "exact" TEXT NOT NULL,
    "prefix" TEXT NOT NULL DEFAULT '',
    "suffix" TEXT NOT NULL DEFAULT '',
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "anchorScore" REAL NOT NULL,
    "claimant" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "scenariosJson" TEXT NOT NULL DEFAULT '[]',
    "verdict" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    CONSTRAINT "Claim_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable: a new column at the end, so the table is not rebuilt.
ALTER TABLE "Message" ADD COLUMN "segmentsJson" TEXT NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE INDEX "QuoteLink_sourceId_idx" ON "QuoteLink"("sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "QuoteLink_messageId_segment_key" ON "QuoteLink"("messageId", "segment");

-- CreateIndex
CREATE UNIQUE INDEX "Claim_key_key" ON "Claim"("key");

-- CreateIndex
CREATE INDEX "Claim_messageId_idx" ON "Claim"("messageId");

-- CreateTable
CREATE TABLE "List" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "List_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageList" (
    "messageId" INTEGER NOT NULL,
    "listId" INTEGER NOT NULL,

    CONSTRAINT "MessageList_pkey" PRIMARY KEY ("messageId","listId")
);

-- CreateTable
CREATE TABLE "ThreadList" (
    "threadId" INTEGER NOT NULL,
    "listId" INTEGER NOT NULL,
    "lastDate" TIMESTAMP(3),

    CONSTRAINT "ThreadList_pkey" PRIMARY KEY ("threadId","listId")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" SERIAL NOT NULL,
    "archiveId" TEXT NOT NULL,
    "idKind" TEXT NOT NULL,
    "claimedId" TEXT,
    "isGhost" BOOLEAN NOT NULL DEFAULT false,
    "listId" INTEGER,
    "subject" TEXT NOT NULL DEFAULT '',
    "fromName" TEXT,
    "fromAddress" TEXT,
    "toJson" TEXT NOT NULL DEFAULT '[]',
    "ccJson" TEXT NOT NULL DEFAULT '[]',
    "date" TIMESTAMP(3),
    "dateText" TEXT,
    "inReplyTo" TEXT,
    "referencesJson" TEXT NOT NULL DEFAULT '[]',
    "bodyFromHtml" BOOLEAN NOT NULL DEFAULT false,
    "rawSha256" TEXT,
    "warningsJson" TEXT NOT NULL DEFAULT '[]',
    "threadId" INTEGER,
    "parentId" INTEGER,
    "parentBy" TEXT,
    "depth" INTEGER NOT NULL DEFAULT 0,
    "threadOrder" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageText" (
    "messageId" INTEGER NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "segmentsJson" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "MessageText_pkey" PRIMARY KEY ("messageId")
);

-- CreateTable
CREATE TABLE "MessageRaw" (
    "messageId" INTEGER NOT NULL,
    "blockId" INTEGER NOT NULL,
    "start" INTEGER NOT NULL DEFAULT 0,
    "length" INTEGER,

    CONSTRAINT "MessageRaw_pkey" PRIMARY KEY ("messageId")
);

-- CreateTable
CREATE TABLE "RawBlock" (
    "id" SERIAL NOT NULL,
    "bytes" BYTEA NOT NULL,
    "encoding" TEXT NOT NULL DEFAULT 'identity',

    CONSTRAINT "RawBlock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageCopy" (
    "id" SERIAL NOT NULL,
    "messageId" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "offset" INTEGER NOT NULL,
    "rawSha256" TEXT NOT NULL,
    "blockId" INTEGER,
    "start" INTEGER,
    "length" INTEGER,

    CONSTRAINT "MessageCopy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" SERIAL NOT NULL,
    "messageId" INTEGER NOT NULL,
    "filename" TEXT,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Thread" (
    "id" SERIAL NOT NULL,
    "rootArchiveId" TEXT NOT NULL,
    "listId" INTEGER,
    "subject" TEXT NOT NULL,
    "messageCount" INTEGER NOT NULL,
    "firstDate" TIMESTAMP(3),
    "lastDate" TIMESTAMP(3),

    CONSTRAINT "Thread_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuoteLink" (
    "id" SERIAL NOT NULL,
    "messageId" INTEGER NOT NULL,
    "segment" INTEGER NOT NULL,
    "sourceId" INTEGER,
    "sourceStart" INTEGER,
    "sourceEnd" INTEGER,
    "match" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "QuoteLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Claim" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "messageId" INTEGER NOT NULL,
    "exact" TEXT NOT NULL,
    "prefix" TEXT NOT NULL DEFAULT '',
    "suffix" TEXT NOT NULL DEFAULT '',
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "anchorScore" DOUBLE PRECISION NOT NULL,
    "claimant" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "scenariosJson" TEXT NOT NULL DEFAULT '[]',
    "verdict" TEXT NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "Claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkQueue" (
    "seq" SERIAL NOT NULL,
    "messageId" INTEGER NOT NULL,

    CONSTRAINT "LinkQueue_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "OwedWork" (
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "settled" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "OwedWork_pkey" PRIMARY KEY ("kind")
);

-- CreateTable
CREATE TABLE "Source" (
    "id" SERIAL NOT NULL,
    "path" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "list" TEXT,
    "mbox" TEXT,
    "stateJson" TEXT NOT NULL DEFAULT '{}',
    "readAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemovedMessage" (
    "id" SERIAL NOT NULL,
    "archiveId" TEXT NOT NULL,
    "rawSha256" TEXT NOT NULL,
    "blockId" INTEGER,
    "start" INTEGER NOT NULL DEFAULT 0,
    "length" INTEGER,
    "source" TEXT NOT NULL,
    "removedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RemovedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "List_name_key" ON "List"("name");

-- CreateIndex
CREATE INDEX "MessageList_listId_messageId_idx" ON "MessageList"("listId", "messageId");

-- CreateIndex
CREATE INDEX "ThreadList_listId_lastDate_idx" ON "ThreadList"("listId", "lastDate");

-- CreateIndex
CREATE UNIQUE INDEX "Message_archiveId_key" ON "Message"("archiveId");

-- CreateIndex
CREATE INDEX "Message_listId_date_idx" ON "Message"("listId", "date");

-- CreateIndex
CREATE INDEX "Message_threadId_threadOrder_idx" ON "Message"("threadId", "threadOrder");

-- CreateIndex
CREATE INDEX "Message_claimedId_idx" ON "Message"("claimedId");

-- CreateIndex
CREATE INDEX "MessageCopy_messageId_idx" ON "MessageCopy"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "MessageCopy_source_offset_key" ON "MessageCopy"("source", "offset");

-- CreateIndex
CREATE INDEX "Attachment_messageId_idx" ON "Attachment"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "Thread_rootArchiveId_key" ON "Thread"("rootArchiveId");

-- CreateIndex
CREATE INDEX "Thread_listId_lastDate_idx" ON "Thread"("listId", "lastDate");

-- CreateIndex
CREATE INDEX "QuoteLink_sourceId_idx" ON "QuoteLink"("sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "QuoteLink_messageId_segment_key" ON "QuoteLink"("messageId", "segment");

-- CreateIndex
CREATE UNIQUE INDEX "Claim_key_key" ON "Claim"("key");

-- CreateIndex
CREATE INDEX "Claim_messageId_idx" ON "Claim"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "LinkQueue_messageId_key" ON "LinkQueue"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "Source_path_key" ON "Source"("path");

-- CreateIndex
CREATE INDEX "RemovedMessage_archiveId_idx" ON "RemovedMessage"("archiveId");

-- AddForeignKey
ALTER TABLE "MessageList" ADD CONSTRAINT "MessageList_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageList" ADD CONSTRAINT "MessageList_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ThreadList" ADD CONSTRAINT "ThreadList_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "Thread"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ThreadList" ADD CONSTRAINT "ThreadList_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "Thread"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageText" ADD CONSTRAINT "MessageText_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageRaw" ADD CONSTRAINT "MessageRaw_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageRaw" ADD CONSTRAINT "MessageRaw_blockId_fkey" FOREIGN KEY ("blockId") REFERENCES "RawBlock"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageCopy" ADD CONSTRAINT "MessageCopy_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Thread" ADD CONSTRAINT "Thread_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuoteLink" ADD CONSTRAINT "QuoteLink_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuoteLink" ADD CONSTRAINT "QuoteLink_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

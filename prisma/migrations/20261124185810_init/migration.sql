-- CreateTable
CREATE TABLE "List" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Message" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "archiveId" TEXT NOT NULL,
    "idKind" TEXT NOT NULL,
    "isGhost" BOOLEAN NOT NULL DEFAULT false,
    "listId" INTEGER,
    "subject" TEXT NOT NULL DEFAULT '',
    "fromName" TEXT,
    "fromAddress" TEXT,
    "toJson" TEXT NOT NULL DEFAULT '[]',
    "ccJson" TEXT NOT NULL DEFAULT '[]',
    "date" DATETIME,
    "dateText" TEXT,
    "inReplyTo" TEXT,
    "referencesJson" TEXT NOT NULL DEFAULT '[]',
    "body" TEXT NOT NULL DEFAULT '',
    "bodyFromHtml" BOOLEAN NOT NULL DEFAULT false,
    "rawSha256" TEXT,
    "warningsJson" TEXT NOT NULL DEFAULT '[]',
    "threadId" INTEGER,
    "parentId" INTEGER,
    "parentBy" TEXT,
    "depth" INTEGER NOT NULL DEFAULT 0,
    "threadOrder" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Message_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Message_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "Thread" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Message_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Message" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MessageRaw" (
    "messageId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bytes" BLOB NOT NULL,
    "encoding" TEXT NOT NULL DEFAULT 'identity',
    CONSTRAINT "MessageRaw_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MessageCopy" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "offset" INTEGER NOT NULL,
    "rawSha256" TEXT NOT NULL,
    CONSTRAINT "MessageCopy_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" INTEGER NOT NULL,
    "filename" TEXT,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BLOB NOT NULL,
    CONSTRAINT "Attachment_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Thread" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rootArchiveId" TEXT NOT NULL,
    "listId" INTEGER,
    "subject" TEXT NOT NULL,
    "messageCount" INTEGER NOT NULL,
    "firstDate" DATETIME,
    "lastDate" DATETIME,
    CONSTRAINT "Thread_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "List_name_key" ON "List"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Message_archiveId_key" ON "Message"("archiveId");

-- CreateIndex
CREATE INDEX "Message_listId_date_idx" ON "Message"("listId", "date");

-- CreateIndex
CREATE INDEX "Message_threadId_threadOrder_idx" ON "Message"("threadId", "threadOrder");

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

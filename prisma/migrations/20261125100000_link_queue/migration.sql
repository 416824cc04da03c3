-- Threads left to link after a crash between storing and linking (see LinkQueue
-- in schema.prisma). Mail stored before this migration was linked when it was stored.
-- CreateTable
CREATE TABLE "LinkQueue" (
    "messageId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT
);

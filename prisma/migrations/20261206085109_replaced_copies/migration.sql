-- A stored copy that a complete one replaced (a truncated or empty copy met first)
-- keeps its bytes: its MessageCopy row points at their RawBlock span.
-- AlterTable
ALTER TABLE "MessageCopy" ADD COLUMN "blockId" INTEGER;
ALTER TABLE "MessageCopy" ADD COLUMN "length" INTEGER;
ALTER TABLE "MessageCopy" ADD COLUMN "start" INTEGER;

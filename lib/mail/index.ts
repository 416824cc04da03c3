/** The mail layer: archive readers and MIME decoding. */
export * from './types';
export { MAX_MESSAGE_BYTES } from './limits';
export { readArchive, detectFileFormat } from './archive';
export { readMbox, splitMbox, type ReaderOptions, type MboxVariant } from './mbox';
export { readMaildir } from './maildir';
export { readEml } from './eml';
export {
  readPipermailArticle,
  readPipermailText,
  readPipermailMonthly,
  parseArticle,
  deobfuscate,
  listFromSubject,
} from './pipermail';
export { decode } from './decode';
// createDecodePool (worker threads, for the ingest CLI) is imported from './decode-pool'
// directly, so that code bundled for pages never sees `new Worker(...)`.
export { parseMailDate, type ParsedDate } from './dates';
export { htmlToText } from './html-text';

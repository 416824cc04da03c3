/** The mail layer: archive readers and MIME decoding. */
export * from './types';
export { MAX_MESSAGE_BYTES } from './limits';
export { readArchive, readMaildir, detectFileFormat } from './archive';
export { readMbox, splitMbox, type ReaderOptions, type MboxVariant } from './mbox';
export { isMboxVariant, MBOX_VARIANTS } from './mbox-variant';
export { readMaildirFolder } from './maildir';
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
export { parseMailDate, type ParsedDate } from './dates';
export { htmlToText } from './html-text';

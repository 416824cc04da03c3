export { threadMessages } from './jwz';
export {
  deobfuscateAddress,
  findAttributions,
  parseAttribution,
  parseAttributionDate,
  parseAuthor,
  quoteDepth,
  type Attribution,
  type AttributionLine,
  type QuotedLine,
} from './attribution';
export type { Ghost, Thread, ThreadedNode, ThreadingResult, ThreadInput } from './types';

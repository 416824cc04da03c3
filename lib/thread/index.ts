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
} from '../quote/attribution';
export type { Ghost, Thread, ThreadedNode, ThreadingResult, ThreadInput } from './types';

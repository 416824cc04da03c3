// The large-message Maildir of `npm run bench:ingest -- --large`: 30 real messages of
// ../shared/corpora/notmuch-lkml, each given a 45 MB base64 attachment, made once and
// cached beside the 50k corpus.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/db/url';
import { cacheDir } from './corpus';

export const LARGE_MESSAGES = 30;
export const LARGE_MESSAGE_BYTES = 45_000_000;
export const largeCorpusDir = path.join(cacheDir, `large-${LARGE_MESSAGES}x45mb`);

const source = path.resolve(projectRoot, '..', 'shared', 'corpora', 'notmuch-lkml', 'cur');
/** Header fields the message's own single part had: they move to its first part. */
const PART_FIELDS = /^(?:content-type|content-transfer-encoding|mime-version)[ \t]*:/i;

/** Makes the Maildir once; exits with a message when ../shared is missing. */
export function buildLargeCorpus(bench: string): void {
  if (fs.existsSync(largeCorpusDir)) return;
  if (!fs.existsSync(source)) {
    console.error(`${bench} needs ${source}: it is absent.`);
    process.exit(2);
  }
  const tmp = `${largeCorpusDir}.tmp-${process.pid}`;
  fs.mkdirSync(path.join(tmp, 'cur'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'new'));
  fs.mkdirSync(path.join(tmp, 'tmp'));
  console.log(`building ${LARGE_MESSAGES} messages of ${LARGE_MESSAGE_BYTES / 1e6} MB in ${largeCorpusDir} (once) ...`);
  let made = 0;
  for (const name of fs.readdirSync(source).sort()) {
    if (made === LARGE_MESSAGES) break;
    const message = withAttachment(fs.readFileSync(path.join(source, name), 'latin1'), made);
    if (message) {
      fs.writeFileSync(path.join(tmp, 'cur', name), message);
      made++;
    }
  }
  if (made < LARGE_MESSAGES) throw new Error(`only ${made} single-part messages in ${source}`);
  fs.renameSync(tmp, largeCorpusDir);
}

/**
 * A single-part message as multipart/mixed: its text, then an attachment (pseudo-random
 * bytes, which compress as a zip or a PDF does) making the whole LARGE_MESSAGE_BYTES.
 * Null for a message that is multipart already.
 */
function withAttachment(text: string, seed: number): Buffer | null {
  const split = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, split).split(/\r?\n(?![ \t])/);
  const body = text.slice(text.indexOf('\n', split + 1) + 1);
  const partHead = head.filter((f) => PART_FIELDS.test(f));
  if (partHead.some((f) => /multipart\//i.test(f))) return null;
  const boundary = `large-${seed}-boundary`;
  const before = [
    ...head.filter((f) => !PART_FIELDS.test(f)),
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    ...(partHead.filter((f) => !/^mime-version/i.test(f)).length ? partHead.filter((f) => !/^mime-version/i.test(f)) : ['Content-Type: text/plain; charset=us-ascii']),
    '',
    body,
    `--${boundary}`,
    `Content-Type: application/octet-stream; name="capture-${seed}.bin"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="capture-${seed}.bin"`,
    '',
    '',
  ].join('\n');
  const after = `\n--${boundary}--\n`;
  // base64 in lines of 76 characters: 57 bytes a line.
  const room = LARGE_MESSAGE_BYTES - Buffer.byteLength(before, 'latin1') - after.length;
  const bytes = Math.floor(room / 77) * 57;
  const cipher = crypto.createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16));
  const data = cipher.update(Buffer.alloc(bytes));
  const lines = data.toString('base64').replace(/.{76}/g, '$&\n');
  return Buffer.from(before + lines.replace(/\n$/, '') + after, 'latin1');
}

/**
 * The public-inbox repository maker (tests/support/public-inbox.ts), checked with git
 * itself: commit counts, trees (`git ls-tree`), blobs byte for byte, v1 paths as the
 * SHA-1 of the Message-ID, appends continuing the history, and repeatable commit ids.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendToEpoch, FALLBACK_DATE, gitEnv, makeV1Inbox, makeV2Inbox, type InboxOp } from './public-inbox';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-pi-test-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const git = (gitDir: string, ...args: string[]) =>
  execFileSync('git', [`--git-dir=${gitDir}`, ...args], { env: gitEnv(), encoding: 'utf8' }).trimEnd();
const gitBytes = (gitDir: string, ...args: string[]) => execFileSync('git', [`--git-dir=${gitDir}`, ...args], { env: gitEnv() });
const lines = (s: string) => (s === '' ? [] : s.split('\n'));
/** The file names in each commit's tree, oldest commit first. */
const trees = (gitDir: string) =>
  lines(git(gitDir, 'rev-list', '--reverse', 'refs/heads/master')).map((c) => lines(git(gitDir, 'ls-tree', '--name-only', c)));

function message(id: string, extra: { from?: string; date?: string | null; subject?: string; crlf?: boolean; body?: string } = {}): string {
  const head = [
    `From: ${extra.from ?? `Sender ${id} <${id}@example.org>`}`,
    ...(extra.date === null ? [] : [`Date: ${extra.date ?? 'Tue, 4 Mar 2025 10:20:30 +0100'}`]),
    `Subject: ${extra.subject ?? `message ${id}`}`,
    `Message-ID: <${id}@example.org>`,
  ];
  const text = `${head.join('\n')}\n\n${extra.body ?? `body of ${id}\n`}`;
  return extra.crlf ? text.replace(/\n/g, '\r\n') : text;
}

// Raw bytes that are no valid UTF-8, CRLF line ends: stored exactly as given.
const latin1 = Buffer.concat([Buffer.from('From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <jm@example.org>\r\nDate: 5 Mar 2025 08:00:00 -0500\r\nSubject: caf\xe9\r\n =?UTF-8?B?w6k=?= folded\r\nMessage-ID: <latin@example.org>\r\n\r\n', 'latin1'), Buffer.from([0xe9, 0xff, 0x0d, 0x0a])]);
const a = message('a'), b = message('b', { crlf: true }), c = message('c', { date: null }), d = message('d', { from: 'd@example.org (Dee Person)' });

describe('makeV2Inbox', () => {
  const inbox = path.join(work, 'v2');
  const epochs: InboxOp[][] = [[{ add: a }, { add: latin1 }, { remove: a }], [{ add: b }, { add: c }]];
  makeV2Inbox(inbox, epochs);
  const e0 = path.join(inbox, 'git', '0.git'), e1 = path.join(inbox, 'git', '1.git');

  it('has one bare repo per epoch, with one commit per op on master, each tree one file', () => {
    expect(fs.readdirSync(path.join(inbox, 'git')).sort()).toEqual(['0.git', '1.git']);
    expect(git(e0, 'rev-parse', '--is-bare-repository')).toBe('true');
    expect(git(e0, 'symbolic-ref', 'HEAD')).toBe('refs/heads/master');
    expect(git(e0, 'rev-list', '--count', 'refs/heads/master')).toBe('3');
    expect(git(e1, 'rev-list', '--count', 'refs/heads/master')).toBe('2');
    expect(trees(e0)).toEqual([['m'], ['m'], ['d']]);
    expect(trees(e1)).toEqual([['m'], ['m']]);
    // Each epoch is a history of its own.
    expect(lines(git(e1, 'rev-list', '--max-parents=0', 'refs/heads/master'))).toHaveLength(1);
    for (const e of [e0, e1]) git(e, 'fsck', '--strict', '--no-progress');
  });

  it('stores each message byte for byte as m', () => {
    expect(gitBytes(e0, 'cat-file', 'blob', 'refs/heads/master~2:m')).toEqual(Buffer.from(a));
    expect(gitBytes(e0, 'cat-file', 'blob', 'refs/heads/master~1:m')).toEqual(latin1);
    expect(gitBytes(e1, 'cat-file', 'blob', 'refs/heads/master~1:m')).toEqual(Buffer.from(b));
  });

  it('makes a removal a commit with d, the removed message, and no m', () => {
    expect(lines(git(e0, 'ls-tree', '--name-only', 'refs/heads/master'))).toEqual(['d']);
    expect(gitBytes(e0, 'cat-file', 'blob', 'refs/heads/master:d')).toEqual(Buffer.from(a));
    expect(git(e0, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%s', 'refs/heads/master')).toBe('inbox <inbox@example.invalid>|inbox <inbox@example.invalid>|rm');
  });

  it('takes author, dates and message from the header', () => {
    const log = (e: string, rev: string) => git(e, 'log', '-1', '--date=raw', '--format=%an|%ae|%ad|%cn <%ce>|%cd|%s', rev);
    expect(log(e0, 'refs/heads/master~2')).toBe(`Sender a|a@example.org|1741080030 +0100|inbox <inbox@example.invalid>|1741080030 +0100|message a`);
    expect(log(e0, 'refs/heads/master~1')).toBe(`Jörg Müller|jm@example.org|${Date.UTC(2025, 2, 5, 13) / 1000} -0500|inbox <inbox@example.invalid>|${Date.UTC(2025, 2, 5, 13) / 1000} -0500|café é folded`);
    expect(log(e1, 'refs/heads/master')).toBe(`Sender c|c@example.org|${FALLBACK_DATE}|inbox <inbox@example.invalid>|${FALLBACK_DATE}|message c`);
  });

  it('has all.git with relative alternates to every epoch, and inbox.lock', () => {
    const all = path.join(inbox, 'all.git');
    expect(fs.readFileSync(path.join(all, 'objects', 'info', 'alternates'), 'utf8')).toBe('../../git/0.git/objects\n../../git/1.git/objects\n');
    expect(git(all, 'cat-file', '-t', git(e0, 'rev-parse', 'refs/heads/master'))).toBe('commit');
    expect(git(all, 'cat-file', '-t', git(e1, 'rev-parse', 'refs/heads/master'))).toBe('commit');
    expect(fs.existsSync(path.join(inbox, 'inbox.lock'))).toBe(true);
    expect(fs.readdirSync(inbox).sort()).toEqual(['all.git', 'git', 'inbox.lock']);
  });

  it('makes the same commits from the same messages', () => {
    makeV2Inbox(path.join(work, 'v2-again'), epochs);
    for (const n of [0, 1]) {
      expect(git(path.join(work, 'v2-again', 'git', `${n}.git`), 'rev-parse', 'refs/heads/master')).toBe(git(path.join(inbox, 'git', `${n}.git`), 'rev-parse', 'refs/heads/master'));
    }
  });

  it('refuses a folder that is not empty', () => {
    expect(() => makeV2Inbox(inbox, [[{ add: d }]])).toThrow(/not empty/);
  });
});

describe('appendToEpoch', () => {
  it('continues the history of master, and starts one in a new repo', () => {
    const inbox = path.join(work, 'append');
    makeV2Inbox(inbox, [[{ add: a }, { add: b }]]);
    const epoch = path.join(inbox, 'git', '0.git');
    const before = git(epoch, 'rev-parse', 'refs/heads/master');
    const tip = appendToEpoch(epoch, [{ add: c }, { remove: b }, { add: d }]);
    expect(tip).toBe(git(epoch, 'rev-parse', 'refs/heads/master'));
    expect(git(epoch, 'rev-list', '--count', tip)).toBe('5');
    expect(git(epoch, 'rev-parse', `${tip}~3`)).toBe(before);
    expect(trees(epoch)).toEqual([['m'], ['m'], ['m'], ['d'], ['m']]);
    expect(git(epoch, 'log', '-1', '--format=%an|%ae|%s', tip)).toBe('Dee Person|d@example.org|message d');

    const fresh = path.join(work, 'fresh', '7.git');
    const first = appendToEpoch(fresh, [{ add: a }]);
    expect(git(fresh, 'rev-list', '--count', first)).toBe('1');
    const second = appendToEpoch(fresh, [{ add: b }]);
    expect(git(fresh, 'rev-parse', `${second}^`)).toBe(first);
    git(fresh, 'fsck', '--strict', '--no-progress');
  });
});

describe('makeV1Inbox', () => {
  it('files each message at the SHA-1 of its Message-ID, and a removal deletes it', () => {
    const repo = path.join(work, 'v1.git');
    const tip = makeV1Inbox(repo, [{ add: a }, { add: b }, { add: latin1 }, { remove: a }]);
    const sha1 = (id: string) => createHash('sha1').update(id).digest('hex');
    const at = (id: string) => `${sha1(id).slice(0, 2)}/${sha1(id).slice(2)}`;
    expect(git(repo, 'rev-list', '--count', tip)).toBe('4');
    expect(lines(git(repo, 'ls-tree', '-r', '--name-only', `${tip}~1`)).sort()).toEqual([at('a@example.org'), at('b@example.org'), at('latin@example.org')].sort());
    expect(lines(git(repo, 'ls-tree', '-r', '--name-only', tip)).sort()).toEqual([at('b@example.org'), at('latin@example.org')].sort());
    expect(git(repo, 'diff-tree', '--no-commit-id', '--name-status', '-r', tip)).toBe(`D\t${at('a@example.org')}`);
    expect(gitBytes(repo, 'cat-file', 'blob', `${tip}:${at('latin@example.org')}`)).toEqual(latin1);
    git(repo, 'fsck', '--strict', '--no-progress');
  });

  it('needs a Message-ID', () => {
    expect(() => makeV1Inbox(path.join(work, 'v1-no-id.git'), [{ add: 'From: x@example.org\n\nno id\n' }])).toThrow(/Message-ID/);
  });
});

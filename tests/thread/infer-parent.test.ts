// Parents of mail without reply headers (pipermail pages), inferred from the
// attribution and the quoted text, in the forms mail clients write them.
import { describe, expect, it } from 'vitest';
import { threadMessages } from '../../lib/thread/index';
import { checkInvariants, message, nodeOf } from './build';

const joel = message({
  id: 'joel@oracle.com', from: 'Joel Becker', address: 'joel.becker@oracle.com', date: '2010-12-31T18:29:00Z',
  body: 'The truncate race is real: page_mkwrite must return VM_FAULT_NOPAGE when the page\nwas truncated under us, or the fault is retried on a page that is gone.\n',
});
// Another message by the same author, nearer the time the attributions give (read without a zone):
// the quoted text, not the author and date alone, must decide.
const joelOther = message({
  id: 'joel-other@oracle.com', from: 'Joel Becker', address: 'joel.becker@oracle.com', date: '2010-12-31T10:29:00Z',
  body: 'Something else entirely about ocfs2 cluster locks and downconvert threads.\n',
});
const quoted = ['The truncate race is real: page_mkwrite must return VM_FAULT_NOPAGE when the page', 'was truncated under us, or the fault is retried on a page that is gone.'];
const reply = (key: string, lines: string[]) => message({ id: null, key, from: 'Tao Ma', date: '2011-01-01T02:00:00Z', body: lines.join('\n') });

describe('a parent inferred from the attribution', () => {
  it.each([
    ['a plain attribution', ['Agreed.', '', 'On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <joel.becker@oracle.com> wrote:', ...quoted.map((l) => `> ${l}`)]],
    ["Apple Mail's, inside the quote", ['Agreed.', '', '> On Dec 31, 2010, at 10:29, Joel Becker <joel.becker@oracle.com> wrote:', '> ', ...quoted.map((l) => `> ${l}`)]],
    ["Outlook's header block over unmarked text", ['Agreed.', '', '-----Original Message-----', 'From: Joel Becker [mailto:joel.becker@oracle.com]', 'Sent: Friday, December 31, 2010 10:29 AM', 'To: ocfs2-devel@oss.oracle.com', 'Subject: Re: page_mkwrite', '', ...quoted]],
  ])('%s', (_form, lines) => {
    const inputs = [joelOther, joel, reply('r', lines)];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(nodeOf(result, 'r')).toMatchObject({ parentKey: 'joel@oracle.com', parentBy: 'attribution' });
    expect(result.ghosts).toEqual([]);
  });
});

// The streaming half of bench/public-inbox.ts's build, in a process of its own so that
// publicInboxOfCorpus can stay synchronous: reads {dir, epochs: string[][]} (message
// file paths per epoch) as JSON on stdin and streams each epoch's messages into a git
// fast-import of dir/git/N.git, one message in memory at a time.
import fs from 'node:fs';
import path from 'node:path';
import { freshInboxDir } from '../tests/support/public-inbox';
import { streamToEpoch } from './public-inbox';

const job = JSON.parse(fs.readFileSync(0, 'utf8')) as { dir: string; epochs: string[][] };
freshInboxDir(job.dir);
for (const [n, files] of job.epochs.entries()) {
  const started = performance.now();
  await streamToEpoch(path.join(job.dir, 'git', `${n}.git`), files);
  console.log(`  epoch ${n}: ${files.length} messages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

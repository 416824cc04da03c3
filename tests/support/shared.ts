import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../lib/db/url';

/** ../shared beside the checkout: the real corpora and docs. Absent in a clone elsewhere. */
export const sharedDir = path.resolve(projectRoot, '..', 'shared');
export const hasShared = fs.existsSync(path.join(sharedDir, 'corpora'));
export const corpus = (...parts: string[]) => path.join(sharedDir, 'corpora', ...parts);

if (!hasShared) console.warn(`[threadlab tests] ${sharedDir} is absent: tests on the real mail corpora are skipped.`);

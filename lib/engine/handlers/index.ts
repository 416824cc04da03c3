// Handler registry: the bundled ->page_mkwrite implementations, each at its named version.

import { block2629, block2630rc1, block2637 } from './block';
import { btrfs_2637 } from './btrfs';
import type { HandlerSpec } from './composable';
import { ext4_2637 } from './ext4';
import { gfs2_2637 } from './gfs2';
import { ocfs2_2637, ocfs2_32 } from './ocfs2';

export const HANDLERS: Record<string, HandlerSpec> = Object.fromEntries(
  [block2629, block2630rc1, block2637, ocfs2_2637, ocfs2_32, ext4_2637, gfs2_2637, btrfs_2637].map((h) => [h.id, h]),
);

export const HANDLER_IDS = Object.keys(HANDLERS);
export type { HandlerOp, HandlerSpec } from './composable';

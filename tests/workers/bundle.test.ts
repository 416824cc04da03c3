// Bundled TypeScript (lib/workers/bundle.mjs) keeps each source's own
// import.meta.url, so modules find the files beside them; also in a bundle made
// from inside another bundle (the ingest CLI starting its link worker, which
// opens a PostgreSQL writer whose thread is bundled in turn).
import { describe, expect, it } from 'vitest';
import { bundled } from '../../lib/workers/bundle.mjs';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe('bundled modules', () => {
  it('keep their sources’ import.meta.url', async () => {
    const { where } = (await import((await bundled(fixture('where.ts'))).href)) as { where: string };
    expect(where).toBe(fixture('where.ts').href);
  });

  it('keep it in a bundle built from inside a bundle', async () => {
    const nested = (await import((await bundled(fixture('nested.ts'))).href)) as { whereInside(): Promise<string> };
    expect(await nested.whereInside()).toBe(fixture('where.ts').href);
  });
});

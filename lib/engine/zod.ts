// zod for the engine's schemas, set up once: without its JIT. The schemas run in the page and in
// the runner's worker, where the site's CSP forbids eval; zod's JIT compiles parsers with
// `new Function`, and even its probe for that is reported as a policy violation. Every engine
// module takes z from here, so the setting precedes the first schema.
import { z } from 'zod';

z.config({ jitless: true });

export { z };

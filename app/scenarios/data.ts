// The bundled scenarios for the pages: read once per request (React's cache), so an edited file
// shows on the next request under `next dev`; a build reads them when it prerenders the pages.

import path from 'node:path';
import { cache } from 'react';
import { LoadResult, loadScenarios } from '@/lib/scenarios/load';

/** content/scenarios, relative to the directory Next runs in (the project root). */
export const bundledScenarios = cache((): LoadResult[] => loadScenarios(path.join(process.cwd(), 'content', 'scenarios')));

export { scenarioHref } from './href';

/** The valid bundled scenarios by id: what claim cards run. */
export const scenarioMap = cache(() => new Map(bundledScenarios().flatMap((l) => (l.ok ? [[l.scenario.id, l.scenario] as const] : []))));

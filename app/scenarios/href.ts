/** A bundled scenario's page; usable from client components (data.ts reads the files). */
export const scenarioHref = (id: string) => `/scenarios/${encodeURIComponent(id)}`;

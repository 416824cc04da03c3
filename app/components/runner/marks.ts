// Performance marks for "click on Run -> outcome table painted"; bench/claims.ts reads the measure.

export const runMeasureName = (runKey: string) => `threadlab:run:${runKey}`;

/** `at`: the click event's timeStamp, so the measure includes input dispatch. */
export function runStartMark(runKey: string, at: number): void {
  performance.mark(`${runMeasureName(runKey)}:click`, { startTime: at });
}

export function runMeasure(runKey: string): void {
  performance.measure(runMeasureName(runKey), `${runMeasureName(runKey)}:click`);
}

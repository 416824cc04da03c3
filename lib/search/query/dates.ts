// d: values as lore takes them: a date, a range `A..B` with either end
// open, or git's approxidate words joined by dots (2.weeks.ago, yesterday).
// All in UTC. Each end names a period (a year, a month, a day, a second or
// an instant) and the range covers both ends whole: d:2010-12-01..2011-01-31
// takes in all of 31 January.

export interface DateRange {
  from: Date | null;
  /** Exclusive. */
  to: Date | null;
}

/** Why a d: value cannot be read; `offset` is where in the value (the caller adds where the value is). */
export class DateError extends Error {
  constructor(message: string, public readonly offset = 0) {
    super(message);
  }
}

interface Period {
  start: Date;
  end: Date;
}

const UNIT_MS: Record<string, number> = {
  second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000,
};
const UNITS = /^(\d+)\.(sec|second|min|minute|hour|day|week|month|year)s?\.ago$/;

export function parseDateRange(value: string, now: Date): DateRange {
  const dots = value.indexOf('..');
  if (dots < 0) {
    const p = period(value, now, 0);
    return { from: p.start, to: p.end };
  }
  const [a, b] = [value.slice(0, dots), value.slice(dots + 2)];
  if (!a && !b) throw new DateError('a date range needs at least one end');
  const from = a ? period(a, now, 0).start : null;
  const to = b ? period(b, now, dots + 2).end : null;
  if (from && to && from >= to) throw new DateError(`the range ends (${b}) before it starts (${a})`);
  return { from, to };
}

function period(text: string, now: Date, offset: number): Period {
  const t = text.toLowerCase();
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (t === 'now') return { start: now, end: new Date(now.getTime() + 1) };
  if (t === 'today' || t === 'yesterday') {
    const start = day(now) - (t === 'yesterday' ? UNIT_MS.day : 0);
    return { start: new Date(start), end: new Date(start + UNIT_MS.day) };
  }
  const rel = UNITS.exec(t);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2] === 'sec' ? 'second' : rel[2] === 'min' ? 'minute' : rel[2];
    const at = new Date(now);
    if (unit === 'month') at.setUTCMonth(at.getUTCMonth() - n);
    else if (unit === 'year') at.setUTCFullYear(at.getUTCFullYear() - n);
    else at.setTime(at.getTime() - n * UNIT_MS[unit]);
    if (Number.isNaN(at.getTime())) throw new DateError(`"${text}" is too far back`, offset);
    return { start: at, end: new Date(at.getTime() + 1) };
  }
  return absolute(text, offset);
}

// 2010, 2010-12, 201012, 2010-12-31, 20101231, 2010-12-31T09:31[:44], 20101231093144.
const ABSOLUTE = /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[t ]?(\d{2}):?(\d{2})(?::?(\d{2}))?)?)?)?$/i;

function absolute(text: string, offset: number): Period {
  const m = ABSOLUTE.exec(text);
  if (!m) throw new DateError(`"${text}" is not a date: write 2010-12-31, 2010-12, 2010, 2.weeks.ago or yesterday`, offset);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  const parts = [y!, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0] as const;
  // Not Date.UTC, which reads years 0-99 as 1900-1999.
  const start = new Date(0);
  start.setUTCFullYear(parts[0], parts[1], parts[2]);
  start.setUTCHours(parts[3], parts[4], parts[5]);
  // Dates roll 2010-02-30 over into March: a date that does not exist comes back different.
  if (start.getUTCMonth() !== parts[1] || start.getUTCDate() !== parts[2] || start.getUTCHours() !== parts[3]
    || start.getUTCMinutes() !== parts[4] || start.getUTCSeconds() !== parts[5]) {
    throw new DateError(`"${text}" is not a valid date`, offset);
  }
  const end = new Date(start);
  if (s !== undefined) end.setUTCSeconds(end.getUTCSeconds() + 1);
  else if (mi !== undefined) end.setUTCMinutes(end.getUTCMinutes() + 1);
  else if (d !== undefined) end.setUTCDate(end.getUTCDate() + 1);
  else if (mo !== undefined) end.setUTCMonth(end.getUTCMonth() + 1);
  else end.setUTCFullYear(end.getUTCFullYear() + 1);
  return { start, end };
}

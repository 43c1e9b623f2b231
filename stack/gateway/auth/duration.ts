// Durations as GoTrue and the Supabase CLI write them: Go's `time.ParseDuration`
// syntax ("1s", "1h30m", "876000h", "-1.5h"), used by `ban_duration`,
// `[auth.email] max_frequency` and `[auth.sessions]` timeouts.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export class DurationError extends Error {}

/** Milliseconds in a Go duration string; throws DurationError with Go's message. */
export function parseGoDuration(text: string): number {
  const invalid = () => new DurationError(`time: invalid duration ${JSON.stringify(text)}`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest.length > 0) {
    const match = part.exec(rest);
    if (!match) {
      if (/^(\d+(?:\.\d*)?|\.\d+)$/.test(rest)) throw new DurationError(`time: missing unit in duration ${JSON.stringify(text)}`);
      throw invalid();
    }
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return sign * total;
}

/** Seconds from a config value that is either a number of seconds or a Go duration string. */
export function secondsFrom(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
    return parseGoDuration(value.trim()) / 1000;
  }
  return fallback;
}

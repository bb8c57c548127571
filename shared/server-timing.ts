// The Server-Timing header (W3C Server Timing), written and read in one place: shared/trace.ts
// writes each sign-in's trace with formatServerTiming; the checker's report and `npm run bench`
// read it back with parseServerTiming. One grammar, so the writer and its readers cannot drift.
//
// No library: the npm packages for Server-Timing only write it, and a Structured Fields
// parser (RFC 8941) reads a stricter grammar than this header's and would write `dur=0` as
// `0.0`. The grammar is small:
//   Server-Timing = #( metric-name *( OWS ";" OWS param-name OWS "=" OWS ( token / quoted-string ) ) )

export interface TimingMetric {
  /** The metric's name, a token: require-xhr, google-token, total. */
  name: string;
  /** Its duration in ms; absent when the header gives none (or no number). */
  dur?: number;
  /** Its description; absent when the header gives none. */
  desc?: string;
}

/**
 * A quoted-string: a character a header cannot carry (outside printable ASCII) becomes "?",
 * and " and \ are escaped.
 */
function quote(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, '\\$&')}"`;
}

/** The header's value: `name;dur=1.23;desc="..."` for each metric, in order, durations to 0.01 ms. */
export function formatServerTiming(metrics: readonly TimingMetric[]): string {
  return metrics
    .map(
      ({ name, dur, desc }) =>
        `${name}${dur === undefined ? '' : `;dur=${dur.toFixed(2)}`}${desc === undefined ? '' : `;desc=${quote(desc)}`}`,
    )
    .join(', ');
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const QUOTED = /"((?:[^"\\]|\\.)*)"/y;
const SPACE = /[ \t]*/y;

/**
 * The metrics of a Server-Timing value (several header lines joined with ", " are one value).
 * Lenient as browsers are: a metric whose rest cannot be read keeps what was read up to there
 * and the parse goes on after the next comma outside quotes; a parameter given twice keeps its
 * first value; unknown parameters are ignored; parameter names are case-insensitive.
 */
export function parseServerTiming(header: string): TimingMetric[] {
  let at = 0;
  const take = (pattern: RegExp): RegExpExecArray | null => {
    pattern.lastIndex = at;
    const found = pattern.exec(header);
    if (found) at = pattern.lastIndex;
    return found;
  };
  /** Past the next comma that is not inside a quoted-string (or to the end). */
  const skipPastComma = () => {
    while (at < header.length && header[at] !== ',') {
      if (header[at] === '"' && take(QUOTED)) continue;
      at++;
    }
    at++;
  };

  const metrics: TimingMetric[] = [];
  while (at < header.length) {
    take(SPACE);
    const name = take(TOKEN);
    if (!name) {
      skipPastComma();
      continue;
    }
    const metric: TimingMetric = { name: name[0] };
    metrics.push(metric);
    const seen = new Set<string>();
    for (;;) {
      take(SPACE);
      if (header[at] !== ';') break;
      at++;
      take(SPACE);
      const param = take(TOKEN)?.[0].toLowerCase();
      if (!param) break;
      take(SPACE);
      let value = '';
      if (header[at] === '=') {
        at++;
        take(SPACE);
        const quoted = take(QUOTED);
        const read = quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : take(TOKEN)?.[0];
        // An unreadable value (an unmatched quote): the metric ends here, without this param.
        if (read === undefined) break;
        value = read;
      }
      if (seen.has(param)) continue;
      seen.add(param);
      if (param === 'dur' && value !== '' && Number.isFinite(Number(value))) metric.dur = Number(value);
      else if (param === 'desc') metric.desc = value;
    }
    skipPastComma();
  }
  return metrics;
}

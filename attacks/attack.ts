// What an attack is: a small module in attacks/, named after its file (attacks/NAME.ts exports
// it as default), declared in manifest.json beside the step whose defence stops it. The lab
// (attacks/lab.ts) runs it over real HTTP against a folder's server and the fake Google, and
// reports what the attacker sent, what the server answered, and the verdict.
import { type Kit, type Reply, signIn } from '#checker';

/** One request of the attack, as the lab prints it. */
export interface Exchange {
  /** What the attacker (or the victim's browser, made to) sent, in words: no random values. */
  sent: string;
  /** The server's answer in one line (see answerLine); or what the attacker learnt. */
  answered: string;
}

export interface Outcome {
  exchanges: Exchange[];
  succeeded: boolean;
  /** The verdict's reason, one line: why it got through, or what stopped it. */
  why: string;
  /**
   * Why the verdict could not be reached here (a service the attack needs is missing): the
   * exchanges show what could be tried, and the attack counts neither way.
   */
  skipped?: string;
}

/** A learner's version of the defence's step without the defence: a copy of its folder with a replacement. */
export interface Mistake {
  /**
   * Why the steps before this one are not open to the attack, in a few words; absent when they
   * are (the step before succeeds too, but says less than the mistake does).
   */
  before?: string;
  /** What the learner did, in a few words. */
  says: string;
  /** A file of the step, relative to its folder. */
  file: string;
  /** Each text to replace (it must be there), and what a learner who made the mistake wrote instead. */
  edits: { from: string; to: string }[];
}

export interface Attack {
  /** Its name on the command line and in manifest.json: the module's file name. */
  name: string;
  /** A few words, e.g. "Login CSRF". */
  title: string;
  /** What the attacker is after, one sentence. */
  goal: string;
  /**
   * For an attack that has nothing to attack before its step (no session holds a user before
   * step 5), or whose success there would prove little: the mistake that opens the hole at that
   * step. npm test runs the attack against it instead of the step before, where it must succeed.
   */
  mistake?: Mistake;
  run(kit: Kit): Promise<Outcome>;
}

/** Refused as the client's fault: a 4xx. A 2xx went through; a 5xx or a 501 refused nothing. */
export function refused(reply: Reply): boolean {
  return reply.status >= 400 && reply.status < 500;
}

/** A page's text content around a pattern, tags stripped: what a reader of the page would see. */
export function pageText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The paragraph that says who is signed in, on the home page (views/home.pug), as text; '' if none. */
export function signedInAs(home: Reply): string {
  const paragraph = /<p id="signed-in">([\s\S]*?)<\/p>/.exec(home.body)?.[1];
  return paragraph === undefined ? '' : pageText(paragraph);
}

/** What a refusal page says (step 9's views/error.pug, p#refused), as text; '' if none. */
export function refusal(reply: Reply): string {
  const paragraph = /<p id="refused">([\s\S]*?)<\/p>/.exec(reply.body)?.[1];
  return paragraph === undefined ? '' : pageText(paragraph);
}

const LONGEST = 90;

/** A server's answer in one line: status, then the JSON message or the kind of page. */
export function answerLine(reply: Reply, page = ''): string {
  let what: string;
  if (reply.type === 'application/json') what = reply.body;
  else if (reply.type === 'text/html') what = `a page (text/html)${page ? `: ${page}` : ''}`;
  else what = reply.type || 'no body';
  return `${reply.status} ${what.length > LONGEST ? `${what.slice(0, LONGEST)}…` : what}`;
}

/** A new browser holding the same cookies as `from`: what an attacker holds who copied them. */
export function copyBrowser(kit: Pick<Kit, 'agent'>, from: Map<string, string>) {
  const agent = kit.agent();
  for (const [name, value] of from) agent.cookies.set(name, value);
  return agent;
}

/**
 * An attack of a few sign-ins, each with a fixture code whose tokens a careless server would
 * take: each code in a browser of its own, at once; it succeeded when any got through. `why`
 * says how the server fell for them (given the codes that got through), or what refused them.
 */
export async function signInsWith(
  kit: Kit,
  codes: readonly (readonly [code: string, what: string])[],
  why: { through: string; refused: string },
): Promise<Outcome> {
  const replies = await Promise.all(codes.map(([code]) => signIn(kit.agent(), code)));
  const through = codes.filter((_, index) => !refused(replies[index]!));
  return {
    exchanges: codes.map(([code, what], index) => ({
      sent: `POST /gconnect?state=<her state>; body: ${code} (${what})`,
      answered: answerLine(replies[index]!),
    })),
    succeeded: through.length > 0,
    why: through.length > 0 ? `the server did not refuse ${through.map(([code]) => code).join(' and ')}: ${why.through}` : why.refused,
  };
}

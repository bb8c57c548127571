// Tokens read from the cookie (step 5): Flask's default session is a cookie anyone holding it
// can decode. The attacker (a script, a stolen cookie file) reads her cookies after sign-in.
import { signIn } from '#checker';
import { answerLine, type Attack } from './attack.ts';

/** What must never be in a cookie: the fake's access tokens (ya29...), ID tokens (eyJ...), her email. */
const SECRETS = [
  ['ya29.', 'an access token'],
  ['eyJ', 'an ID token'],
  ['alice@example.com', 'her email'],
] as const;

function readable(value: string): string[] {
  const decoded = [value];
  try {
    decoded.push(decodeURIComponent(value));
  } catch {
    // not URI-encoded
  }
  for (const text of [...decoded])
    decoded.push(Buffer.from(text, 'base64').toString('latin1'), Buffer.from(text, 'base64url').toString('latin1'));
  return decoded;
}

const attack: Attack = {
  name: 'token-in-cookie',
  title: 'Tokens read from the cookie',
  goal: 'her access token or profile read from her cookies, decoded if need be',
  mistake: {
    before: 'nothing about the user is kept before step 5',
    says: "the session kept in the cookie itself (koa-session's default, as Flask's), not on the server",
    file: 'app.ts',
    edits: [
      {
        from: "import { useSession } from '#shared/session.ts';",
        to: "import session from 'koa-session';\nimport { MemorySpentStates } from '#shared/stores.ts';",
      },
      // The spent states (check-state.ts) came with useSession: kept, so that only the session's store is wrong.
      {
        from: 'app.use(useSession(app, config, options.sessionStore));',
        to: "app.context.spentStates = new MemorySpentStates();\n  app.use(session({ key: 'gconnect.sid' }, app));",
      },
    ],
  },
  async run(kit) {
    const victim = kit.agent();
    const reply = await signIn(victim, '4/fixture-alice');
    const values = [...victim.cookies.values()].flatMap(readable);
    const found = SECRETS.filter(([secret]) => values.some((value) => value.includes(secret))).map(([, what]) => what);
    const names = [...victim.cookies.keys()].join(', ') || 'none';
    return {
      exchanges: [
        { sent: 'she signs in (4/fixture-alice)', answered: answerLine(reply) },
        {
          sent: `the attacker reads her cookies (${names}), decoding base64`,
          answered: found.length > 0 ? `found ${found.join(', ')}` : 'found no token, no profile',
        },
      ],
      succeeded: found.length > 0,
      why:
        found.length > 0
          ? `the cookie carries ${found.join(', ')}`
          : 'the cookie holds a random session id only: tokens and profile stay on the server',
    };
  },
};
export default attack;

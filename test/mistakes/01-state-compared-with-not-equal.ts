import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'the state compared with !==: a warning that names timingSafeEqual, with the file and line',
  from: 1,
  edits: [{ file: 'check-state.ts', from: '!sameToken(given, expected)', to: 'given !== expected' }],
  check: 1,
  blame: 'none',
  shows: [/^⚠ \.check-\w+\/check-state\.ts:\d+: the state is compared with !==, .*timingSafeEqual from node:crypto/m],
  lessons: ['seen in the source'],
};

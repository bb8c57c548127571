import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: "the code exchange's refusal not caught: the server answers 502 and logs Google's answer, never the client's 400",
  from: 2,
  edits: [
    { file: 'exchange-code.ts', from: '    try {\n', to: '    {\n' },
    {
      file: 'exchange-code.ts',
      from: "    } catch (err) {\n      if (googleDidNotAnswer(googleFailure(err))) {\n        return answerJson(ctx, 502, 'Google did not answer the code exchange.');\n      }\n      return answerJson(ctx, 401, 'Failed to upgrade the authorization code.');\n    }\n",
      to: '    }\n',
    },
  ],
  check: 2,
  blame: 2,
  shows: [
    /^ {2}4\/fixture-bad-code \(invalid_grant\): 401\n(.*\n){5} {4}expected: 401 application\/json "Failed to upgrade the authorization code\."\n {4}got: {6}502 application\/json "Google refused the server's request\."\n {4}stages: .*exchange-code ✘ threw\n {4}note: {5}exchange-code threw: Google refused one of its calls and nothing caught it\. The kit answers that 502/m,
    /^ {2}Your server logged:\n {4}\[gconnect\] POST \/gconnect failed: a call to Google that no stage caught: Google answered 400 \(invalid_grant\): invalid_grant\n\n/m,
  ],
  // Only this check's line: not the other failing checks' (a code Google never issued, Google down).
  never: [/Bad request|a 500 means|4\/not-a-fixture|answered 503/],
  lessons: ['true notes', "the check's own log"],
};

// npm run new-step -- NAME (a maintainer's tool): scaffolds the step after the last one. Its
// folder is a byte-for-byte copy of the last step's (nothing added or changed yet, so the kit's
// rules hold at once), its manifest entry has placeholders to edit, and its suite, chapter and
// hints are written where the manifest says they go. The suite's first check fails until the
// stage is written; every other test of the kit stays as it was. The README's table of steps
// and the tutorial's index, generated from the manifest, are regenerated.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { argsOrExit, exitWithUsage } from '#kit/cli.ts';
import { formatManifest, listSteps, MANIFEST_FILE, readManifest, ROOT, STEP_FOLDER, stepPaths, type ManifestEntry } from '#kit/manifest.ts';
import { generateFile, MANIFEST_ONLY_DOCS } from './tutorial/generate.ts';

const USAGE = 'npm run new-step -- NAME   (NAME: lowercase letters, digits and dashes, e.g. refresh-token)';
const { words } = argsOrExit({ usage: USAGE, command: 'npm run new-step', options: {} });
if (words.length !== 1) exitWithUsage(words.length === 0 ? 'Which name?' : `One name: ${words.join(' ')}.`, USAGE);
const name = words[0]!;
const steps = listSteps();
const last = steps.at(-1)!;
const number = last.number + 1;
const folder = `${String(number).padStart(2, '0')}-${name}`;
if (!STEP_FOLDER.test(folder) || number > 99)
  exitWithUsage(`"${name}" cannot name step ${number}: lowercase letters, digits and single dashes, and at most 99 steps.`, USAGE);

const title = name.replace(/-/g, ' ').replace(/^./, (first) => first.toUpperCase());
const entry: ManifestEntry = {
  folder,
  title,
  gist: `TODO: a few words on what step ${number} adds`,
  summary: `TODO: one or two sentences on what step ${number} adds; npm run step ${number} prints them.`,
  adds: [],
  changes: [],
};
// Where the manifest reader will say this step's parts are: asked of it, not spelled here.
const step = stepPaths(folder);
const made = [`steps/${folder}/`, step.suite, step.chapter, step.hints];
const taken = made.filter((path) => existsSync(join(ROOT, path)));
if (taken.length > 0) {
  console.error(
    `error: ${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}: step ${number} is begun. Remove ${taken.length === 1 ? 'it' : 'them'} to start again.`,
  );
  process.exit(1);
}

const placeholderAnswer = `${title} done.`;
const files: Record<string, string> = {
  [step.suite]: `// Step ${number}, ${title.toLowerCase()}: its checks (made by npm run new-step; edit them). A behaviour check
// holds at this step and every later one; the placeholder holds where the chain ends here.
import { check, placeholder, type Suite } from '../suite.ts';

// TODO: what POST /gconnect answers to Alice's sign-in where the chain ends at step ${number}.
const endsHere = placeholder(200, ${JSON.stringify(placeholderAnswer)});

export const suite: Suite = {
  step: ${number},
  title: ${JSON.stringify(title.toLowerCase())},
  checks: [
    // TODO: what step ${number} adds, one check each. Until the stage is written this one asks for
    // the placeholder answer, which step ${last.number}'s code does not give: it fails, as it should.
    check(\`TODO, what step ${number} adds; until then: \${endsHere.name}\`, endsHere.run),
  ],
  placeholder: endsHere,
};
`,
  [step.hints]: `## Nudge
TODO: a sentence or two that point at what step ${number} needs, without naming the API.

## API
TODO: the calls to use, and what each answers when it fails.

## Shape
TODO: the shape of the code, as listings of the stage's regions (never code written here: a
hint must not teach what the check rejects): a line \`<!-- generated: listing steps/${folder}/FILE.ts#REGION -->\`,
then \`<!-- /generated -->\`; \`npm run tutorial\` fills it from \`// #region REGION\` in the file.
`,
  [step.chapter]: `# ${folder.slice(0, 2)} ${title}

**Goal:** TODO: what this step adds, in a sentence.

## The concepts

TODO: what a learner needs to know before writing the stage.

## The code

TODO: the stage, shown from the step's folder (a whole file, or one \`// #region NAME\` of it):

<!-- generated: listing steps/${folder}/app.ts -->
<!-- /generated -->

<details>
<summary>Diff from step ${last.name.slice(0, 2)}</summary>

<!-- generated: diff ${last.name} ${folder} -->
<!-- /generated -->

</details>

## Run it

The fixture codes this step brings in ([fixtures/README.md](../fixtures/README.md) lists them all):

<!-- generated: fixtures ${number} -->
<!-- /generated -->

In a first terminal:

\`\`\`sh
npm run step ${number}
\`\`\`

<!-- generated: output -->
<!-- /generated -->

## Check it

\`\`\`sh
npm run check ${number}
\`\`\`

<!-- generated: output -->
<!-- /generated -->

The tests of this step are in [${step.suite}](../${step.suite}).
`,
};

cpSync(last.dir, step.dir, { recursive: true });
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(ROOT, path)), { recursive: true });
  writeFileSync(join(ROOT, path), text);
}
const manifest = readManifest();
manifest.steps.push(entry);
writeFileSync(MANIFEST_FILE, formatManifest(manifest));

// The parts generated from the manifest (the README's table, the tutorial's index) and the new
// chapter's listings and diff; its outputs wait for npm run tutorial, which runs its commands.
const updated: string[] = [];
for (const doc of [...MANIFEST_ONLY_DOCS, 'tutorial/README.md', step.chapter]) {
  const { text, before } = await generateFile(doc, { run: false });
  if (text === before) continue;
  writeFileSync(join(ROOT, doc), text);
  if (doc !== step.chapter) updated.push(doc);
}

console.log(`Made step ${number}, ${folder}, from step ${last.number}:`);
for (const path of made) console.log(`  new      ${path}`);
for (const path of ['manifest.json', ...updated]) console.log(`  updated  ${path}`);
console.log(`Next:
  1. manifest.json: step ${number}'s title, gist and summary; then write the stage in steps/${folder}/ and list
     the files it adds and changes there (npm test holds the rest byte-identical to step ${last.number}'s).
  2. ${step.suite}: the checks of what step ${number} adds, and its placeholder answer.
  3. ${step.chapter}: the prose, then npm run tutorial -- ${folder} (its listings, diff and outputs).
  4. ${step.hints}: three hints. A fixture the step needs: fixtures/scenarios/NAME.json with "step": ${number}.
  5. npm run tutorial (the README's table and the index follow the manifest), then npm test.`);

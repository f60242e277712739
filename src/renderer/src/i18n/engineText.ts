/**
 * The engine's and the script schema's sentences in the UI's language. They stay English in the
 * data, the JSON and the CLI (src/shared/sandboxScript.ts, src/core/sandbox); here each known
 * sentence is recognized by its pattern, which names a key in en.ts/ko.ts, and its variable parts
 * fill the key's placeholders. A sentence no pattern knows is shown as it is, marked English.
 */
import { i18next } from './index';

/** A text to show, and whether it is in the UI's language (false: the engine's English). */
export interface ShownText {
  text: string;
  translated: boolean;
}

type Pattern = readonly [RegExp, string, readonly string[]];

/** The schema's messages (after "field: "), by key under sandboxProblems. */
const PROBLEMS: readonly Pattern[] = [
  [/^expected a non-negative whole number of bytes, got (.*)$/, 'notBytes', ['value']],
  [
    /^(.*) does not fit in 64 bits: a 64-bit (\S+) holds at most 0xffffffffffffffff$/,
    'tooBig',
    ['value', 'what'],
  ],
  [/^expected a non-negative whole number$/, 'notWhole', []],
  [
    /^expected null, a number, a 0x hex string or NAME\+0xOFFSET, got "(.*)"$/,
    'notAddress',
    ['value'],
  ],
  [/^expected a 32-bit flag value, got (.*)$/, 'notFlags', ['value']],
  // The hint names flags: "a PAGE_* or MEM_* name" gives PAGE_*, MEM_*.
  [
    /^unknown flag "(.*)" \(use (?:an? )?(.*?)(?: name)? or a number\)$/,
    'unknownFlag',
    ['name', 'hint'],
  ],
  [/^"(.*)" is not bound by an earlier step's "as"$/, 'unbound', ['name']],
  [/^workingSetMinimum must not exceed workingSetMaximum$/, 'minMax', []],
  [/^Invalid input$/, 'invalid', []],
  [/^Invalid discriminator value\. Expected (.*)$/, 'unknownOp', ['ops']],
  [/^Unrecognized keys?: (.*)$/, 'unrecognized', ['keys']],
];

/** The names the simulated engine gives what process start made (allocationCells.ts, startup.ts). */
const LABELS: readonly Pattern[] = [
  [/^Stack of thread (\d+)$/, 'stack', ['thread']],
  [/^TEB of thread (\d+)$/, 'teb', ['thread']],
  [/^Process heap$/, 'processHeap', []],
  [/^Heap (\d+)$/, 'heap', ['id']],
];

/** What a source says a region is for (src/core/sources, src/core/sim), by key under regionDetails. */
const REGION_DETAILS: readonly Pattern[] = [
  [/^brk heap$/, 'brkHeap', []],
  [/^shared anonymous memory$/, 'sharedAnonymous', []],
  [/^file deleted$/, 'fileDeleted', []],
  [/^thread (\d+)$/, 'thread', ['thread']],
  [/^Thread ID: (\d+)$/, 'thread', ['thread']],
  [/^Stack of thread (\d+)$/, 'stack', ['thread']],
  [/^Process heap$/, 'processHeap', []],
  [/^A kernel thread: it has no user address space, so it has no regions\.$/, 'kernelThread', []],
];

/** What a source says it cannot know about pages (src/core/sources), by key under pageUnknown. */
const PAGE_UNKNOWN: readonly Pattern[] = [
  [/^dirty: Linux does not show the page-table dirty bit/, 'linuxDirty', []],
  [/^soft-dirty: this kernel is built without CONFIG_MEM_SOFT_DIRTY\.$/, 'noSoftDirty', []],
  [/^share counts and locked pages: page frame numbers are hidden without root/, 'pfnHidden', []],
  [/^swapped and dirty: QueryWorkingSetEx tells only/, 'windowsSwapped', []],
  [
    /^soft-dirty: a Linux page-table bit, not part of the Windows model\.$/,
    'simulatedSoftDirty',
    [],
  ],
];

function match(patterns: readonly Pattern[], prefix: string, text: string): string | null {
  for (const [re, key, names] of patterns) {
    const m = re.exec(text);
    if (!m) continue;
    const values = Object.fromEntries(
      names.map((name, i) => [name, (m[i + 1] ?? '').replace(/^(\S+) or (\S+)$/, '$1, $2')]),
    );
    return i18next.t(`${prefix}.${key}`, values);
  }
  return null;
}

/** A field path as the schema writes it ("size", "steps.2.address", "step"), in the UI's language. */
function fieldText(path: string): string {
  const last = path.split('.').at(-1) ?? path;
  if (last === 'step' || last === '(script)') return i18next.t('sandboxProblems.step');
  if (last === 'op') return i18next.t('sandboxProblems.op');
  const key = `op.fields.${last}`;
  return i18next.exists(key) ? i18next.t(key) : last;
}

/** One of validateNextStep's errors ("size: expected …") in the UI's language, where known. */
export function problemText(problem: string): ShownText {
  const colon = problem.indexOf(': ');
  if (colon < 0) return { text: problem, translated: false };
  const message = match(PROBLEMS, 'sandboxProblems', problem.slice(colon + 2));
  if (message === null) return { text: problem, translated: false };
  return {
    text: i18next.t('sandboxProblems.field', {
      field: fieldText(problem.slice(0, colon)),
      message,
    }),
    translated: true,
  };
}

/** A region's details from its source in the UI's language; names ([vdso], a section) as they are. */
export function regionDetailsText(details: string): ShownText {
  const text = match(REGION_DETAILS, 'regionDetails', details);
  return text === null ? { text: details, translated: false } : { text, translated: true };
}

/**
 * An allocation's label from the engine in the UI's language. The names that are names (a file,
 * PEB, KUSER_SHARED_DATA) read the same in every language and come back as they are.
 */
export function allocationLabelText(label: string): ShownText {
  const text = match(LABELS, 'grid.labels', label);
  return text === null ? { text: label, translated: false } : { text, translated: true };
}

/** A source's sentence on what it cannot know about pages, in the UI's language where known. */
export function pageUnknownText(reason: string): ShownText {
  const text = match(PAGE_UNKNOWN, 'pageUnknown', reason);
  return text === null ? { text: reason, translated: false } : { text, translated: true };
}

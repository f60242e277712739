import { SOURCE_IDS, type SourceId } from '../../shared/model';

/** The last process and source the user opened, remembered across launches. */
export interface LastChoice {
  source?: SourceId;
  pid?: number;
}

const KEY = 'vmscope.last';

export function loadLastChoice(): LastChoice {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, unknown>;
    return {
      ...((SOURCE_IDS as readonly unknown[]).includes(raw['source'])
        ? { source: raw['source'] as SourceId }
        : {}),
      ...(Number.isInteger(raw['pid']) ? { pid: raw['pid'] as number } : {}),
    };
  } catch {
    return {};
  }
}

export function saveLastChoice(choice: LastChoice): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(choice));
  } catch {
    // Storage full or disabled: remembering is a convenience, not a duty.
  }
}

import { readFileSync } from 'node:fs';

/** uid → user name from /etc/passwd, read once; numeric ids where the name is unknown. */
let names: Map<number, string> | null = null;

export function userName(uid: number | null): string | null {
  if (uid === null) return null;
  if (!names) {
    names = new Map();
    try {
      for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [name, , id] = line.split(':');
        if (name && id) names.set(Number(id), name);
      }
    } catch {
      // No passwd file (a minimal container): fall back to numbers.
    }
  }
  return names.get(uid) ?? String(uid);
}

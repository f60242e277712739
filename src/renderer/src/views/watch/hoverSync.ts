/**
 * The time the pointer is over on any chart of a group, so every chart of the group shows its
 * cursor and values at that time. Only the charts' hover layers subscribe: a pointer move
 * redraws them, never the charts themselves.
 */
export interface HoverSync {
  get(): number | null;
  set(time: number | null): void;
  subscribe(listener: () => void): () => void;
}

export function createHoverSync(): HoverSync {
  let time: number | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => time,
    set(next) {
      if (next === time) return;
      time = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * A value made on first use by an async `make` (usually a dynamic import and a constructor), the
 * same promise for every later call. A failed make is not kept: the next call tries again.
 */
export function loadOnce<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (value) return value;
    const made = make();
    value = made;
    made.catch(() => {
      if (value === made) value = undefined;
    });
    return made;
  };
}

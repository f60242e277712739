/**
 * A deep copy of an object graph that keeps what a structured clone loses: class prototypes
 * (the simulation is made of class instances), shared references and cycles (a page entry and
 * the machine's lists hold the same physical page; the machine and its processes point at each
 * other). Maps, Sets, arrays and typed arrays are copied; functions are shared (the simulation
 * holds none that keep state).
 */
export function cloneGraph<T>(value: T, seen = new Map<object, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known as T;
  if (ArrayBuffer.isView(value)) {
    const copy = (value as unknown as Uint8Array).slice();
    seen.set(value, copy);
    return copy as T;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    seen.set(value, copy);
    for (let i = 0; i < value.length; i++) copy[i] = cloneGraph(value[i], seen);
    return copy as T;
  }
  if (value instanceof Map) {
    const copy = new Map();
    seen.set(value, copy);
    for (const [k, v] of value) copy.set(cloneGraph(k, seen), cloneGraph(v, seen));
    return copy as T;
  }
  if (value instanceof Set) {
    const copy = new Set();
    seen.set(value, copy);
    for (const v of value) copy.add(cloneGraph(v, seen));
    return copy as T;
  }
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<
    string,
    unknown
  >;
  seen.set(value, copy);
  for (const key of Object.keys(value))
    copy[key] = cloneGraph((value as Record<string, unknown>)[key], seen);
  return copy as T;
}

/**
 * Makes the objects a literal-building function returns keep small integers unboxed.
 *
 * V8 gives each field of an object shape a representation from the values stored in it. A field
 * that has only ever held numbers read from a Float64Array becomes a "double" field, and then
 * every number stored in it, even 0, is a heap number allocated for that one object: a region
 * with 30 numeric fields is 30 extra allocations for the collector. A field that has once held
 * a non-number is "tagged", and keeps integers up to 2^30 as they are. So `make` is called once,
 * here, with every argument null, before any real object is made with it; the objects it makes
 * afterwards are the same data, only cheaper to make and to collect.
 */
export function taggedFields<F extends (...args: never[]) => object>(make: F): F {
  (make as unknown as (...nulls: null[]) => object)(...new Array<null>(make.length).fill(null));
  return make;
}

/**
 * The same number, as a small integer where it is one. A number read from a Float64Array is a
 * heap number even when it is 4096; stored as it is, each is an allocation of its own.
 */
export function smallInteger(value: number): number {
  const integer = value | 0;
  return integer === value ? integer : value;
}

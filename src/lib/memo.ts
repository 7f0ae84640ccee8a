/**
 * `make`, called once per distinct arguments: later calls with the same ones return what it made. Without bound:
 * for what exists in small numbers (a formatter per language, per language and time zone).
 */
export function memo<A extends (string | number)[], V>(make: (...args: A) => V): (...args: A) => V {
  const made = new Map<string, V>();
  return (...args) => {
    const key = args.join('\u0000');
    let value = made.get(key);
    if (value === undefined) {
      value = make(...args);
      made.set(key, value);
    }
    return value;
  };
}

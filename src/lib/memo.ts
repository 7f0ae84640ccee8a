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

/**
 * What `make` returns for a key, kept for the next call with it: at most `max` keys, the oldest made dropped first.
 * For pure work on what people type (a word's stem, its features, a term's search results), whose keys repeat but
 * never end.
 */
export class Kept<V> {
  private readonly made = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string, make: (key: string) => V): V {
    let value = this.made.get(key);
    if (value === undefined) {
      value = make(key);
      if (this.made.size >= this.max) this.made.delete(this.made.keys().next().value!);
      this.made.set(key, value);
    }
    return value;
  }
}

/** `make` of the last arguments, kept until called with others: for work asked twice in a row of one input. */
export function memoLast<A extends (string | number)[], V>(make: (...args: A) => V): (...args: A) => V {
  let key: string | undefined;
  let value: V;
  return (...args) => {
    const k = args.join('\u0000');
    if (k !== key) {
      value = make(...args);
      key = k;
    }
    return value;
  };
}

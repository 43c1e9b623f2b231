// user-event sends `key` but leaves the legacy `keyCode`/`which` at 0, as jsdom
// does; browsers fill them in, and rc-select's option list (antd Select) acts
// on `which` alone, so Enter or the arrow keys typed with user-event did
// nothing. Importing this gives keyboard events the codes a browser gives.
const KEY_CODES: Readonly<Record<string, number>> = {
  Backspace: 8,
  Tab: 9,
  Enter: 13,
  Escape: 27,
  ' ': 32,
  PageUp: 33,
  PageDown: 34,
  End: 35,
  Home: 36,
  ArrowLeft: 37,
  ArrowUp: 38,
  ArrowRight: 39,
  ArrowDown: 40,
};

for (const property of ['keyCode', 'which'] as const) {
  let owner: object | null = KeyboardEvent.prototype;
  let descriptor: PropertyDescriptor | undefined;
  while (owner && !descriptor) {
    descriptor = Object.getOwnPropertyDescriptor(owner, property);
    if (!descriptor) owner = Object.getPrototypeOf(owner) as object | null;
  }
  const nativeGetter = descriptor?.get;
  Object.defineProperty(KeyboardEvent.prototype, property, {
    configurable: true,
    get(this: KeyboardEvent): number {
      const given = (nativeGetter?.call(this) as number | undefined) ?? 0;
      return given || KEY_CODES[this.key] || 0;
    },
  });
}

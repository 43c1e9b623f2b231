// Page text through Refine's i18n provider, with this area's own dictionary as
// the fallback: keys are checked against the dictionary at compile time, and a
// page still reads well if the provider has not merged the area yet.
// Placeholders are written `{{name}}` (the portal's i18n provider fills them;
// fillText does the same for the fallback text).
import { useTranslate } from '@refinedev/core';
import { useCallback } from 'react';

export type TextValues = Record<string, string | number>;

/** "{{n}} organisations" + { n: 3 } → "3 organisations". Unknown placeholders are left as they are. */
export function fillText(template: string, values?: TextValues): string {
  if (!values) return template;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole,
  );
}

/** A `text(key, values?)` function for one area's dictionary. */
export function useAreaText<D extends Record<string, string>>(dictionary: D) {
  const translate = useTranslate();
  return useCallback(
    (key: keyof D & string, values?: TextValues): string => {
      const fallback: string = dictionary[key] ?? key;
      const translated = translate(key, values, fallback);
      return fillText(translated && translated !== key ? translated : fallback, values);
    },
    [translate, dictionary],
  );
}

/**
 * A key from the shared dictionary (src/i18n/common.ts: roles, statuses,
 * organisation types) with a fallback for when it is missing.
 */
export function useCommonText() {
  const translate = useTranslate();
  return useCallback(
    (key: string, fallback: string): string => {
      const text = translate(key, undefined, fallback);
      return text && text !== key ? text : fallback;
    },
    [translate],
  );
}

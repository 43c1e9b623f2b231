// Refine's i18nProvider: one language (en-GB), no i18next. The dictionary is
// src/i18n/common.ts plus every area's src/resources/<area>/i18n.ts, merged at
// build time. `{{name}}` placeholders are filled from the options.
import type { I18nProvider } from '@refinedev/core';
import common from '../i18n/common.ts';

export const PORTAL_LOCALE = 'en-GB';

type Dictionary = Record<string, string>;

const areaModules = import.meta.glob<{ default: Dictionary }>('../resources/*/i18n.ts', { eager: true });

/** Every key the portal knows. Areas are merged in path order; an area should only use its own `<area>.` prefix. */
export const messages: Readonly<Dictionary> = Object.freeze(
  Object.keys(areaModules)
    .sort()
    .reduce<Dictionary>((merged, path) => ({ ...merged, ...(areaModules[path]?.default ?? {}) }), { ...common }),
);

/** Fill `{{name}}` placeholders; unknown ones are left visible so a missing value is noticed. */
export function interpolate(text: string, values: Record<string, unknown> | undefined): string {
  if (!values) return text;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (placeholder, name: string) => {
    const value = values[name];
    return value === undefined || value === null ? placeholder : String(value);
  });
}

/**
 * translate(key, options?, defaultMessage?) or translate(key, defaultMessage):
 * the dictionary's text, else the default message, else the key itself.
 */
export function translate(key: string, options?: unknown, defaultMessage?: string): string {
  const values = options && typeof options === 'object' ? (options as Record<string, unknown>) : undefined;
  const fallback = defaultMessage ?? (typeof options === 'string' ? options : undefined);
  const text = messages[key] ?? fallback ?? key;
  return interpolate(text, values);
}

export const i18nProvider: I18nProvider = {
  translate,
  changeLocale: async () => {
    // en-GB only.
  },
  getLocale: () => PORTAL_LOCALE,
};

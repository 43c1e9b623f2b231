// Labels of the registration and access-request pages through Refine's i18n
// provider. Placeholders are written `{name}` and filled here, so the pages do
// not depend on how the provider interpolates; each key falls back to this
// area's dictionary if the provider does not know it.
import { useTranslate } from '@refinedev/core';
import { useMemo } from 'react';
import accessRequestLabels from '../access-requests/i18n.ts';
import registrationLabels from './i18n.ts';

const DICTIONARY = { ...registrationLabels, ...accessRequestLabels };

export type TextKey = keyof typeof DICTIONARY;
export type TextParams = Record<string, string | number>;

export function fillPlaceholders(text: string, params?: TextParams): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** "approver_tier_1" → "Approver tier 1": only if a shared label is missing. */
function humanise(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface Text {
  (key: TextKey, params?: TextParams): string;
  /** A role's label from the shared dictionary (`roles.<role>`). */
  role: (role: string) => string;
  /** An organisation type's label from the shared dictionary (`organisationType.<type>`). */
  organisationType: (type: string) => string;
}

export function useText(): Text {
  const translate = useTranslate();
  return useMemo(() => {
    const shared = (key: string, fallback: string) => {
      const value = translate(key, undefined, fallback);
      // A provider that answers an unknown key with the key itself would show "roles.view".
      return value && value !== key ? value : fallback;
    };
    const text = ((key: TextKey, params?: TextParams) =>
      fillPlaceholders(shared(key, DICTIONARY[key]), params)) as Text;
    text.role = (role) => shared(`roles.${role}`, humanise(role));
    text.organisationType = (type) => shared(`organisationType.${type}`, humanise(type));
    return text;
  }, [translate]);
}

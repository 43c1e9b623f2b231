// Labels of the users pages through Refine's i18n provider (keys in ./i18n.ts
// and src/i18n/common.ts). Placeholders are written `{{name}}`, as the
// portal's provider fills them; they are filled here too, so a page rendered
// without that provider (its default message) reads the same.
import { useTranslate } from '@refinedev/core';
import { useMemo } from 'react';
import dictionary from './i18n.ts';
import type { RoleSelectionProblem, Side } from './roles.ts';

export type UsersTextKey = keyof typeof dictionary;
export type TextParams = Record<string, string | number>;

export function fillPlaceholders(text: string, params?: TextParams): string {
  if (!params) return text;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** "approver_tier_1" → "Approver tier 1": the fallback when a shared label is missing. */
export function humanise(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface UsersText {
  /** A label of this area, with `{{placeholders}}` filled. */
  (key: UsersTextKey, params?: TextParams): string;
  /** A shared label (roles.*, accountStatus.*, membershipStatus.*, disableReason.*, organisationType.*). */
  shared: (key: string, fallback: string) => string;
}

export function useUsersText(): UsersText {
  const translate = useTranslate();
  return useMemo(() => {
    const text = ((key: UsersTextKey, params?: TextParams) =>
      fillPlaceholders(translate(key, params, dictionary[key]), params)) as UsersText;
    text.shared = (key: string, fallback: string) => {
      const value = translate(key, undefined, fallback);
      // A provider that answers a missing key with the key itself would show "roles.finance".
      return value === key ? fallback : value;
    };
    return text;
  }, [translate]);
}

/** A role choice's problem in words. */
export function roleProblemText(problem: RoleSelectionProblem, side: Side, text: UsersText): string {
  switch (problem) {
    case 'none_chosen':
      return text('users.roles.noneChosen');
    case 'wrong_side':
      return text(side === 'commissioner' ? 'users.roles.wrongSideCommissioner' : 'users.roles.wrongSideProvider');
    case 'segregation_of_duties':
      return text('users.roles.segregationProblem');
  }
}

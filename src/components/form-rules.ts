// Form rules shared by every area.
import type { FormRule as Rule } from 'antd';
import { personNameProblem, type PersonNameRule } from '../lib/person-name.ts';

/**
 * Something must be chosen in a Select, radio group or checkbox group. A
 * validator rather than `required: true`: with `required`, antd puts
 * aria-required on the control's wrapper <div>, where ARIA does not allow it
 * (axe: critical), and screen readers gain nothing from it there.
 */
export function mustChoose(message: string): Rule {
  return {
    validator: async (_, value: unknown) => {
      if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
        throw new Error(message);
      }
    },
  };
}

/**
 * A person's full name (registration, invitation, profile): the database's rule
 * (src/lib/person-name.ts) — not empty or only spaces, no direction-changing,
 * invisible or control characters, at most 200 characters. `messages` words
 * each broken rule for the form (the database's wording otherwise).
 */
export function personNameRule(messages: Partial<Record<PersonNameRule, string>> = {}): Rule {
  return {
    validator: async (_, value: unknown) => {
      const problem = personNameProblem(typeof value === 'string' ? value : '');
      if (problem) throw new Error(messages[problem.rule] ?? problem.message);
    },
  };
}

/** private.clean_reason's limit for the reason of a decision the other side reads (reject an offer, return a claim). */
export const DECISION_REASON_MAX_LENGTH = 500;

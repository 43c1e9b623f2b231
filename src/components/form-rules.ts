// Form rules shared by every area.
import type { FormRule as Rule } from 'antd';

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

// Dates on the users pages: DD/MM/YYYY and DD/MM/YYYY HH:mm, London time.
import { toUkTime, type DateInput } from '../../lib/dates.ts';

/** "01/07/2025" (London), or an en dash. */
export function formatUkDay(value: DateInput | null | undefined): string {
  return toUkTime(value)?.format('DD/MM/YYYY') ?? '–';
}

/** "01/07/2025 00:30" (London, 24-hour clock), or an en dash. */
export function formatUkDateTimeShort(value: DateInput | null | undefined): string {
  return toUkTime(value)?.format('DD/MM/YYYY HH:mm') ?? '–';
}

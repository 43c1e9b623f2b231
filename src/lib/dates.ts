// Dates as people in England read them: en-GB formats, Europe/London time
// (GMT in winter, BST in summer), whatever the browser's own time zone is.
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import 'dayjs/locale/en-gb.js';

dayjs.extend(utc);
dayjs.extend(timezone);

export const UK_TIME_ZONE = 'Europe/London';
export const UK_LOCALE = 'en-gb';

/** e.g. "01/07/2025" */
export const UK_DATE_FORMAT = 'DD/MM/YYYY';
/** e.g. "01/07/2025 00:30" */
export const UK_DATE_TIME_FORMAT = 'DD/MM/YYYY HH:mm';

export type DateInput = string | number | Date | Dayjs;

/** The instant, seen on a clock in London, with the en-GB locale. Undefined for missing or invalid input. */
export function toUkTime(value: DateInput | null | undefined): Dayjs | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const parsed = dayjs(value);
  if (!parsed.isValid()) return undefined;
  return parsed.tz(UK_TIME_ZONE).locale(UK_LOCALE);
}

/** "01/07/2025", or the fallback (an en dash) when there is no valid date. */
export function formatUkDate(value: DateInput | null | undefined, fallback = '–'): string {
  return toUkTime(value)?.format(UK_DATE_FORMAT) ?? fallback;
}

/** "01/07/2025 00:30" (24-hour clock, London time), or the fallback. */
export function formatUkDateTime(value: DateInput | null | undefined, fallback = '–'): string {
  return toUkTime(value)?.format(UK_DATE_TIME_FORMAT) ?? fallback;
}

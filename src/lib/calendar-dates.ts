// Calendar dates (Postgres `date`, e.g. a PCN relationship's first and last
// day) as people in England write them. A date has no time zone: it is never
// converted through London time, which could move it by a day in a browser
// far from the UK.
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { toUkTime } from './dates.ts';

/** What DatePickers show and accept. */
export const UK_DATE_INPUT_FORMAT = 'DD/MM/YYYY';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2024-03-31" → "31/03/2024"; the fallback (an en dash) for a missing or malformed value. */
export function formatDateOnly(iso: string | null | undefined, fallback = '–'): string {
  const match = iso ? ISO_DATE.exec(iso.slice(0, 10)) : null;
  return match ? `${match[3]}/${match[2]}/${match[1]}` : fallback;
}

/** The calendar day a DatePicker holds, as Postgres expects it: "2024-03-31". */
export function toIsoDate(value: Dayjs): string {
  return value.format('YYYY-MM-DD');
}

/** "2024-03-31" → a Dayjs for a DatePicker (local midnight of that day). */
export function fromIsoDate(iso: string): Dayjs {
  return dayjs(iso.slice(0, 10), 'YYYY-MM-DD');
}

/** Today's date on a calendar in London, as "YYYY-MM-DD". */
export function todayInLondon(now: Date = new Date()): string {
  return toUkTime(now)?.format('YYYY-MM-DD') ?? dayjs(now).format('YYYY-MM-DD');
}

/**
 * Run a form's action with its values as they are once the date pickers have
 * committed what was typed. Enter in a DatePicker submits the form first and
 * commits the typed date after, so the submit's own values can be stale.
 */
export async function withCommittedValues<T>(form: FormInstance<T>, action: (values: T) => Promise<void> | void): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  let values: T;
  try {
    values = await form.validateFields();
  } catch {
    return; // the form shows what is wrong
  }
  await action(values);
}

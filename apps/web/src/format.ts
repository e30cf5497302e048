const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() &&
  a.getMonth() === b.getMonth() &&
  a.getDate() === b.getDate();

/** Short time for a message or list item: "14:05" today, "3 Mar" before. */
export function shortTime(date: Date, now = new Date()): string {
  return sameDay(date, now) ? timeFormat.format(date) : dayFormat.format(date);
}

/** The time of a message, always with hours and minutes (the day is in the tooltip). */
export const messageTime = (date: Date) => timeFormat.format(date);

export const fullTime = (date: Date) => fullFormat.format(date);

export const initial = (name: string) => (name[0] ?? '?').toUpperCase();

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** A date with its time, e.g. "3 Mar 2025, 14:05" (device lists). */
export const dateTime = (date: Date) => dateTimeFormat.format(date);

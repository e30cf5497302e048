import type { ChatMessage, MessageContent } from '@rchat/sdk';

/**
 * `[time] username: text`, one message per line, as `listen`, `history` and the bot runner print
 * it.
 */
export function formatMessage(message: ChatMessage, sender: string, now = new Date()): string {
  const status =
    message.status === 'sent'
      ? ''
      : message.status === 'failed'
        ? ' (not sent)'
        : ` (${message.status})`;
  return `[${formatTime(message.sentAt, now)}] ${sender}: ${formatContent(message.content)}${status}`;
}

export function formatContent(content: MessageContent): string {
  switch (content.kind) {
    case 'text':
      return printable(content.text);
    case 'unknown':
      return `(a "${printable(content.type)}" message, which this version of rchat cannot show)`;
    case 'undecryptable':
      return `(cannot be read: ${content.reason})`;
    case 'unavailable':
      return '(sent before this device joined the conversation; not readable here)';
  }
}

/** `HH:MM:SS` today, `YYYY-MM-DD HH:MM` on other days, local time. */
export function formatTime(ms: number, now = new Date()): string {
  const t = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(t.getHours())}:${pad(t.getMinutes())}`;
  const sameDay =
    t.getFullYear() === now.getFullYear() &&
    t.getMonth() === now.getMonth() &&
    t.getDate() === now.getDate();
  return sameDay
    ? `${clock}:${pad(t.getSeconds())}`
    : `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${clock}`;
}

/**
 * Text as it may reach a terminal: control characters (escape sequences that
 * could move the cursor, retitle the window or fake other lines) and
 * direction overrides become U+FFFD; line breaks are kept, indented so a
 * message cannot pose as the next line.
 */
export function printable(text: string): string {
  return text
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
      (c) => (c === '\t' ? '  ' : '\uFFFD'),
    )
    .replace(/\n/g, '\n    ');
}

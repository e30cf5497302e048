import type { ChatMessage } from '@rchat/sdk';
import { describe, expect, it } from 'vitest';
import { formatMessage, formatTime, printable } from './format.ts';

const noon = new Date(2030, 4, 17, 12, 0, 0);
const message = (over: Partial<ChatMessage>): ChatMessage => ({
  id: 'm1',
  conversationId: 'c1',
  seq: 1,
  senderUserId: 'u1',
  senderDeviceId: 'd1',
  own: false,
  sentAt: new Date(2030, 4, 17, 9, 5, 7).getTime(),
  createdAt: null,
  clientMsgId: 'x',
  status: 'sent',
  content: { kind: 'text', text: 'hello' },
  ...over,
});

describe('how a message is printed', () => {
  it('is `[time] name: text`, with the date when it is not from today', () => {
    expect(formatMessage(message({}), 'bob', noon)).toBe('[09:05:07] bob: hello');
    expect(formatTime(new Date(2030, 4, 16, 23, 59, 1).getTime(), noon)).toBe('2030-05-16 23:59');
  });

  it('says why a message cannot be shown, and when an own message did not go out', () => {
    expect(
      formatMessage(
        message({
          content: {
            kind: 'undecryptable',
            reason: 'The message was altered after it was sent and cannot be trusted.',
          },
        }),
        'bob',
        noon,
      ),
    ).toBe(
      '[09:05:07] bob: (cannot be read: The message was altered after it was sent and cannot be trusted.)',
    );
    expect(formatMessage(message({ content: { kind: 'unavailable' } }), 'bob', noon)).toMatch(
      /before this device joined/,
    );
    expect(
      formatMessage(message({ content: { kind: 'unknown', type: 'poll' } }), 'bob', noon),
    ).toMatch(/"poll" message/);
    expect(formatMessage(message({ own: true, status: 'failed' }), 'alice', noon)).toBe(
      '[09:05:07] alice: hello (not sent)',
    );
  });

  it('cannot drive the terminal: escape sequences, carriage returns and direction overrides are neutralised', () => {
    const hostile = '\u001b]0;pwned\u0007\u001b[2Jhi\rfake line\u202eevil';
    expect(printable(hostile)).toBe('\uFFFD]0;pwned\uFFFD\uFFFD[2Jhi\uFFFDfake line\uFFFDevil');
  });

  it('indents the lines of a multi-line message so none can pose as another message', () => {
    expect(
      formatMessage(
        message({ content: { kind: 'text', text: 'one\n[09:00:00] alice: two' } }),
        'bob',
        noon,
      ),
    ).toBe('[09:05:07] bob: one\n    [09:00:00] alice: two');
  });
});

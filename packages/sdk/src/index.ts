export { RchatApi, type RchatApiOptions } from './api.ts';
export { EventStream, type EventStreamOptions } from './event-stream.ts';
export { SseParser, type SseEvent } from './sse-parser.ts';
export { RchatError } from './errors.ts';
/** The shortest username prefix a user search takes (the server refuses shorter ones). */
export { USER_SEARCH_MIN_LENGTH } from '@rchat/protocol';
/**
 * Why a backup passphrase cannot be set (too short), or undefined; `setPassphrase` refuses the
 * same.
 */
export { passphraseProblem, minPassphraseLength } from '@rchat/crypto';
export { RchatClient, type RchatClientOptions } from './client/rchat-client.ts';
export type { NewDeviceLink, ExistingDeviceLink } from './client/device-link.ts';
export type {
  ChatMessage,
  MessageContent,
  ChatConversation,
  ConversationPeer,
  SafetyNumberInfo,
  ClientEvents,
  ConversationDevice,
  IdentityChange,
  SecurityAlert,
} from './client/types.ts';
export type { ClientStorage } from './storage/storage.ts';
export { createMemoryStorage } from './storage/memory-storage.ts';
export type { ClientErrorCode, RchatErrorCode } from './errors.ts';

export { RchatApi, type RchatApiOptions } from './api.ts';
export { EventStream, type EventStreamOptions } from './event-stream.ts';
export { SseParser, type SseEvent } from './sse-parser.ts';
export { RchatError } from './errors.ts';
export { RchatClient, type RchatClientOptions } from './client/rchat-client.ts';
export type { ChatMessage, MessageContent, ChatConversation, ConversationPeer, SafetyNumberInfo, ClientEvents } from './client/types.ts';
export type { ClientStorage } from './storage/storage.ts';
export { createMemoryStorage } from './storage/memory-storage.ts';
export type { ClientErrorCode } from './errors.ts';

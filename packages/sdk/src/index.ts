export { RchatApi, type RchatApiOptions } from './api.ts';
export { EventStream, type EventStreamOptions } from './event-stream.ts';
export { SseParser, type SseEvent } from './sse-parser.ts';
export { RchatError } from './errors.ts';

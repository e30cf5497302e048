import type { z } from 'zod';
import type { ErrorCode } from '../errors.ts';

/**
 * One endpoint as the route table describes it: the server binds it, the SDK calls it, the docs
 * show it.
 */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  service: 'users' | 'chat' | 'delivery';
  auth: 'none' | 'bearer' | 'bearer-or-query' | 'internal';
  /**
   * What the calling device must be, beyond signed in (bearer routes): `certified` — it holds a
   * certificate from the account's current identity key (a session made with the password alone is
   * not), else 403 `DEVICE_NOT_CERTIFIED` before the request is read.
   */
  device?: 'certified';
  summary: string;
  /** Path parameters (`:id` in `path`). */
  params?: z.ZodType;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  /**
   * The success body's media type when it is not JSON: the event stream's events (`response` is
   * each event's data).
   */
  contentType?: 'text/event-stream';
  /** HTTP status of success. */
  status: number;
  errors: readonly ErrorCode[];
}

/** Errors of every route that needs a session. */
export const authErrors: ErrorCode[] = ['UNAUTHENTICATED', 'DEVICE_REVOKED', 'IDENTITY_RESET'];
/** Errors of every route that reads a JSON body. */
export const bodyErrors: ErrorCode[] = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
];

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  conversationParamsSchema,
  createConversationRequestSchema,
  historyQuerySchema,
  inboxQuerySchema,
  readMarkerRequestSchema,
  sendMessageRequestSchema,
  commitRequestSchema,
  commitsQuerySchema,
} from '@rchat/protocol';
import {
  authenticate,
  byCaller,
  parseInput,
  rateLimited,
  requireInternal,
  type TokenVerifier,
} from '@rchat/server-kit';
import type { Caller, ChatDeps } from '../../app/deps.ts';
import { createDirectConversation } from '../../app/create-conversation.ts';
import { getConversation } from '../../app/get-conversation.ts';
import { listConversations } from '../../app/list-conversations.ts';
import { sendMessage } from '../../app/send-message.ts';
import { readHistory } from '../../app/read-history.ts';
import { markRead } from '../../app/mark-read.ts';
import { readInbox } from '../../app/read-inbox.ts';
import { requestJoin } from '../../app/request-join.ts';
import { listCommits } from '../../app/list-commits.ts';
import { submitCommit } from '../../app/submit-commit.ts';

const internalInboxParamsSchema = z.strictObject({ userId: z.uuid() });
/** Delivery names the device when the read is that device resuming from its cursor (`after`). */
const internalInboxQuerySchema = inboxQuerySchema.extend({ device: z.uuid().optional() });

export function registerChatRoutes(
  app: FastifyInstance,
  deps: ChatDeps,
  verifier: TokenVerifier,
): void {
  const caller = async (request: FastifyRequest): Promise<Caller> => {
    const token = await authenticate(request, verifier);
    const raw = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    return { userId: token.sub, deviceId: token.did, username: token.usr, token: raw };
  };
  const { config } = deps;
  // A base64 body of MAX_CIPHERTEXT_BYTES plus the JSON around it.
  const sendBodyLimit = Math.ceil((config.MAX_CIPHERTEXT_BYTES * 4) / 3) + 4096;
  // A base64 commit and Welcome of MAX_COMMIT_BYTES each, plus the recipients.
  const commitBodyLimit = Math.ceil((config.MAX_COMMIT_BYTES * 8) / 3) + 65_536;
  // Route budgets are the account's: all its devices and tokens share them.
  const perCaller = (max: number) => rateLimited(max, byCaller(verifier));

  app.post('/conversations', async (request, reply) => {
    const me = await caller(request);
    const { peer } = parseInput(createConversationRequestSchema, request.body, 'body');
    const { conversation, created } = await createDirectConversation(deps, me, peer);
    return reply.code(created ? 201 : 200).send(conversation);
  });
  app.get('/conversations', async (request) => ({
    conversations: await listConversations(deps, await caller(request)),
  }));
  app.get('/conversations/:id', async (request) => {
    const me = await caller(request);
    return getConversation(
      deps,
      me,
      parseInput(conversationParamsSchema, request.params, 'params').id,
    );
  });
  app.post(
    '/conversations/:id/messages',
    { bodyLimit: sendBodyLimit, config: perCaller(config.RATE_LIMIT_SEND_PER_MINUTE) },
    async (request, reply) => {
      const me = await caller(request);
      const { id } = parseInput(conversationParamsSchema, request.params, 'params');
      const body = parseInput(sendMessageRequestSchema, request.body, 'body');
      const outcome = await sendMessage(deps, me, id, body);
      return reply.code(outcome.kind === 'created' ? 201 : 200).send(outcome.message);
    },
  );
  app.get('/conversations/:id/messages', async (request) => {
    const me = await caller(request);
    const { id } = parseInput(conversationParamsSchema, request.params, 'params');
    return readHistory(deps, me, id, parseInput(historyQuerySchema, request.query, 'query'));
  });
  app.post('/conversations/:id/read', async (request) => {
    const me = await caller(request);
    const { id } = parseInput(conversationParamsSchema, request.params, 'params');
    return markRead(deps, me, id, parseInput(readMarkerRequestSchema, request.body, 'body').seq);
  });
  app.get('/inbox', async (request) => {
    const me = await caller(request);
    return readInbox(deps, me.userId, parseInput(inboxQuerySchema, request.query, 'query'), {
      forDevice: me.deviceId,
      resumingDevice: me.deviceId,
    });
  });
  app.post(
    '/conversations/:id/commits',
    { bodyLimit: commitBodyLimit, config: perCaller(config.RATE_LIMIT_COMMITS_PER_MINUTE) },
    async (request, reply) => {
      const me = await caller(request);
      const { id } = parseInput(conversationParamsSchema, request.params, 'params');
      return reply
        .code(201)
        .send(
          await submitCommit(deps, me, id, parseInput(commitRequestSchema, request.body, 'body')),
        );
    },
  );
  app.post(
    '/conversations/:id/join-requests',
    { config: perCaller(config.RATE_LIMIT_JOIN_REQUESTS_PER_MINUTE) },
    async (request, reply) => {
      const me = await caller(request);
      await requestJoin(
        deps,
        me,
        parseInput(conversationParamsSchema, request.params, 'params').id,
      );
      return reply.code(204).send();
    },
  );
  app.get('/conversations/:id/commits', async (request) => {
    const me = await caller(request);
    const { id } = parseInput(conversationParamsSchema, request.params, 'params');
    return listCommits(deps, me, id, parseInput(commitsQuerySchema, request.query, 'query'));
  });
  app.get('/internal/inbox/:userId', async (request) => {
    requireInternal(request, config.INTERNAL_TOKEN);
    const { userId } = parseInput(internalInboxParamsSchema, request.params, 'params');
    const { device, ...q } = parseInput(internalInboxQuerySchema, request.query, 'query');
    return readInbox(deps, userId, q, { resumingDevice: device });
  });
}

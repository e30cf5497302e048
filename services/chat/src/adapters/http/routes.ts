import type { ServiceRoute } from '@rchat/protocol';
import { answer, type RouteHandlers } from '@rchat/server-kit';
import type { ChatDeps } from '../../app/deps.ts';
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

/**
 * The chat service's routes (public and internal, as the protocol's route table has them), one use
 * case each.
 */
export function chatHandlers(deps: ChatDeps): RouteHandlers<ServiceRoute<'chat'>> {
  const { config } = deps;
  // A base64 body of MAX_CIPHERTEXT_BYTES plus the JSON around it.
  const sendBodyLimit = Math.ceil((config.MAX_CIPHERTEXT_BYTES * 4) / 3) + 4096;
  // A base64 commit and Welcome of MAX_COMMIT_BYTES each, plus the recipients.
  const commitBodyLimit = Math.ceil((config.MAX_COMMIT_BYTES * 8) / 3) + 65_536;
  // Route budgets are the account's: all its devices and tokens share them.
  const perCaller = (max: number) => ({ max, per: 'caller' }) as const;
  return {
    'POST /conversations': async ({ caller, body }) => {
      const { conversation, created } = await createDirectConversation(deps, caller, body.peer);
      return answer(created ? 201 : 200, conversation);
    },
    'GET /conversations': async ({ caller }) => ({
      conversations: await listConversations(deps, caller),
    }),
    'GET /conversations/:id': ({ caller, params }) => getConversation(deps, caller, params.id),
    'POST /conversations/:id/messages': {
      bodyLimit: sendBodyLimit,
      rateLimit: perCaller(config.RATE_LIMIT_SEND_PER_MINUTE),
      handle: async ({ caller, params, body }) => {
        const outcome = await sendMessage(deps, caller, params.id, body);
        return answer(outcome.kind === 'created' ? 201 : 200, outcome.message);
      },
    },
    'GET /conversations/:id/messages': ({ caller, params, query }) =>
      readHistory(deps, caller, params.id, query),
    'POST /conversations/:id/read': ({ caller, params, body }) =>
      markRead(deps, caller, params.id, body.seq),
    'GET /inbox': ({ caller, query }) =>
      readInbox(deps, caller.userId, query, {
        forDevice: caller.deviceId,
        resumingDevice: caller.deviceId,
      }),
    'POST /conversations/:id/commits': {
      bodyLimit: commitBodyLimit,
      rateLimit: perCaller(config.RATE_LIMIT_COMMITS_PER_MINUTE),
      handle: ({ caller, params, body }) => submitCommit(deps, caller, params.id, body),
    },
    'POST /conversations/:id/join-requests': {
      rateLimit: perCaller(config.RATE_LIMIT_JOIN_REQUESTS_PER_MINUTE),
      handle: ({ caller, params }) => requestJoin(deps, caller, params.id),
    },
    'GET /conversations/:id/commits': ({ caller, params, query }) =>
      listCommits(deps, caller, params.id, query),
    'GET /internal/inbox/:userId': ({ params, query: { device, ...q } }) =>
      readInbox(deps, params.userId, q, { resumingDevice: device }),
  };
}

import type { ChatConversation } from '@rchat/sdk';
import { formatTime } from './format.ts';

/**
 * Who changed identity in an 'identity-changed' conversation, and when they reset it if the server
 * says.
 */
function changeOf(conversation: ChatConversation): { name: string; reset: string } {
  const change = conversation.identityChange;
  const name = change?.username ?? conversation.peer.username;
  return {
    name,
    reset: change?.resetAt ? ` (reset ${formatTime(Date.parse(change.resetAt))})` : '',
  };
}

/**
 * Why nothing is sent into a conversation whose peer's identity changed, and the commands that
 * compare and accept.
 */
export function identityChangedRefusal(conversation: ChatConversation): string {
  const { name, reset } = changeOf(conversation);
  return (
    `${name}'s encryption identity changed${reset}, so nothing was sent: it may be a reset after ${name} lost every device, or someone reading along. ` +
    `Compare safety numbers with ${name} (\`rchat safety-number ${name}\`), then accept it with \`rchat accept-identity ${name}\`.`
  );
}

/**
 * A line for `conversations` and `safety-number`: the conversation waits for the identity change to
 * be accepted.
 */
export function identityChangedNotice(conversation: ChatConversation): string {
  const { name, reset } = changeOf(conversation);
  return `${name}'s encryption identity changed${reset}: sending is paused until you accept it with \`rchat accept-identity ${name}\`.`;
}

/**
 * Why this device stopped working after its account's identity was reset (here or by someone else),
 * and what to do.
 */
export function identityResetText(account?: string): string {
  const username = account ?? '<username>';
  return (
    `Someone reset the encryption identity of ${account ?? 'your account'}, so this device was signed out and cannot read or send any more. ` +
    `If it was you, use the device you reset on, or restore a device with the new recovery key (\`rchat restore ${username}\` in a new home). ` +
    `If it was not you, someone else knows your password: reset the identity yourself (\`rchat reset-identity ${username}\` in a new home) and ask your contacts to compare safety numbers with you before they accept it.`
  );
}

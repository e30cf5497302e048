/** What a person sees of a message on this device. */
export interface ChatMessage {
  /** Server message id (absent while an own message is still sending). */
  id: string | null;
  conversationId: string;
  /** Position in the conversation (0 while sending). */
  seq: number;
  senderUserId: string;
  senderDeviceId: string;
  /** True when sent by this account (from any of its devices). */
  own: boolean;
  /** Sender's clock when written (ms); for display. */
  sentAt: number;
  /** Server time of storage (ISO), or null while sending. */
  createdAt: string | null;
  /** Idempotency key of the send (own messages), also the envelope's clientMsgId. */
  clientMsgId: string;
  /** `sending` → `sent`, or `failed` (retry with `retry(clientMsgId)`). Messages of others are `sent`. */
  status: 'sending' | 'sent' | 'failed';
  content: MessageContent;
  /** Why an own message failed (`status: 'failed'`): the server's code and sentence; retry may help unless the code says otherwise. */
  failure?: { code: string; message: string; retryAfterSeconds?: number };
}

export type MessageContent =
  | { kind: 'text'; text: string }
  /** A content type this client does not know: shown as a fallback, kept for later versions. */
  | { kind: 'unknown'; type: string }
  /** Could not be decrypted or verified on this device; `reason` says why in words a person can act on. */
  | { kind: 'undecryptable'; reason: string }
  /** Sent before this device joined the conversation; its plaintext is not on this device. */
  | { kind: 'unavailable' };

export interface ConversationPeer {
  userId: string;
  username: string;
  /** True once the peer deleted their account: show "<name> deleted their account"; nothing more can be sent. */
  deleted: boolean;
}

export interface ChatConversation {
  id: string;
  peer: ConversationPeer;
  lastActivityAt: string;
  lastSeq: number;
  readSeq: number;
  unreadCount: number;
  /** End-to-end encryption state on this device. */
  encryption: 'ready' | 'waiting-for-keys';
}

export interface SafetyNumberInfo {
  /** 60 digits, grouped in 12 blocks of 5 for display. */
  digits: string;
  formatted: string;
  /** True when the peer's identity key changed since this device first saw it (show it loudly). */
  identityKeyChanged: boolean;
  /** True once the user marked this identity key as verified. */
  verified: boolean;
}

/** Events a client emits while its stream runs. */
export interface ClientEvents {
  /** A new or updated message (incoming, own from another device, or a status change of an own send). */
  message: (message: ChatMessage) => void;
  /** A conversation appeared or changed (new, activity, unread count, encryption state). */
  conversation: (conversation: ChatConversation) => void;
  /** Connection state of the live stream. */
  status: (status: 'connecting' | 'live' | 'reconnecting' | 'closed') => void;
  /** Devices joined or left a conversation's encryption (show a system line: "bob added a device"). */
  devices: (change: { conversationId: string; added: { userId: string; deviceId: string }[]; removed: { userId: string; deviceId: string }[] }) => void;
  /** A peer deleted their account: this device removed (or saw removed) their devices from the conversation's encryption. Show "<name> deleted their account". */
  accountDeleted: (e: { conversationId: string; userId: string; username: string }) => void;
  /** Something the user should know (a refused device, an identity key change), as a sentence. */
  warning: (warning: { conversationId?: string; message: string }) => void;
}

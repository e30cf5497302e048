/** What a person sees of a message on this device. */
export interface ChatMessage {
  /** Server message id (absent while an own message is still sending). */
  id: string | null;
  conversationId: string;
  /** Position in the conversation (0 until the server stored it). */
  seq: number;
  senderUserId: string;
  senderDeviceId: string;
  /** True when sent by this account (from any of its devices). */
  own: boolean;
  /** Sender's clock when written (ms); for display. */
  sentAt: number;
  /** Server time of storage (ISO), or null until the server stored it. */
  createdAt: string | null;
  /** Idempotency key of the send (own messages), also the envelope's clientMsgId. */
  clientMsgId: string;
  /**
   * Own messages: `sending` (in this device's outbox, being sent) or
   * `queued` (in the outbox, waiting for the server to be reachable or the
   * conversation's keys; sent by itself then) → `sent`; or `failed` (refused
   * for good, see `failure`; still in the outbox: `retry(clientMsgId)` queues
   * it again). Messages of others are `sent`.
   */
  status: 'queued' | 'sending' | 'sent' | 'failed';
  content: MessageContent;
  /**
   * Why an own message failed (`status: 'failed'`): the server's (or this device's) code and
   * sentence, e.g. IDENTITY_CHANGED, PEER_DELETED, PAYLOAD_TOO_LARGE.
   */
  failure?: { code: string; message: string; retryAfterSeconds?: number };
}

export type MessageContent =
  | { kind: 'text'; text: string }
  /** A content type this client does not know: shown as a fallback, kept for later versions. */
  | { kind: 'unknown'; type: string }
  /**
   * Could not be decrypted or verified on this device; `reason` says why in words a person can act
   * on.
   */
  | { kind: 'undecryptable'; reason: string }
  /** Sent before this device joined the conversation; its plaintext is not on this device. */
  | { kind: 'unavailable' };

export interface ConversationPeer {
  userId: string;
  username: string;
  /**
   * True once the peer deleted their account: show "<name> deleted their account"; nothing more can
   * be sent.
   */
  deleted: boolean;
}

export interface ChatConversation {
  id: string;
  peer: ConversationPeer;
  lastActivityAt: string;
  lastSeq: number;
  readSeq: number;
  unreadCount: number;
  /**
   * End-to-end encryption state on this device. `identity-changed`: the
   * peer's identity key in the directory is not the one this device pinned
   * (they reset their encryption identity — or someone is intercepting);
   * sending is blocked until the person accepts (`acceptIdentityChange`).
   */
  encryption: 'ready' | 'waiting-for-keys' | 'identity-changed';
  /**
   * Set while `encryption` is `identity-changed`: whose identity changed, and when they reset it
   * (as the server reports; null if not a reset).
   */
  identityChange: IdentityChange | null;
}

export interface IdentityChange {
  userId: string;
  username: string;
  resetAt: string | null;
}

/** A device in a conversation's encryption (a leaf of its MLS group). */
export interface ConversationDevice {
  userId: string;
  username: string;
  deviceId: string;
  /** The device's name as its owner set it, when the directory still lists it. */
  name: string | null;
  /** When this device saw it join (or the directory's creation date), ISO. */
  addedAt: string | null;
  /**
   * SHA-256 of the device's signature key, 8 groups of 4 hex digits: compare it with the device's
   * own screen.
   */
  fingerprint: string;
  /** True for this device. */
  current: boolean;
}

/** Something a person must see at once, because security depends on it. */
export interface SecurityAlert {
  /**
   * `account-identity-reset`: this account's identity was reset elsewhere (this device is signed
   * out, or the directory disagrees with its key);
   * `peer-identity-changed`: a peer's identity key changed (sending to them is blocked until
   * accepted);
   * `device-refused`: a device was not added because its keys do not belong to whom they claim;
   * `membership-refused`: a key change or invitation that would let a non-member read the
   * conversation was refused.
   */
  kind:
    | 'account-identity-reset'
    | 'peer-identity-changed'
    | 'device-refused'
    | 'membership-refused';
  conversationId?: string;
  userId?: string;
  message: string;
}

export interface SafetyNumberInfo {
  /** 60 digits, grouped in 12 blocks of 5 for display. */
  digits: string;
  formatted: string;
  /**
   * True while the peer's identity key differs from the one this device pinned and the person has
   * not accepted it (show it loudly).
   */
  identityKeyChanged: boolean;
  /** True once the user marked this identity key as verified. */
  verified: boolean;
}

/** Events a client emits while its stream runs. */
export interface ClientEvents {
  /**
   * A new or updated message (incoming, own from another device, or a status change of an own
   * send).
   */
  message: (message: ChatMessage) => void;
  /** A conversation appeared or changed (new, activity, unread count, encryption state). */
  conversation: (conversation: ChatConversation) => void;
  /** Connection state of the live stream. */
  status: (status: 'connecting' | 'live' | 'reconnecting' | 'closed') => void;
  /**
   * Devices joined or left a conversation's encryption, by anyone's commit (this device's included)
   * or by this device joining from a Welcome: show a system line ("bob added a device").
   */
  devices: (change: {
    conversationId: string;
    added: { userId: string; deviceId: string }[];
    removed: { userId: string; deviceId: string }[];
  }) => void;
  /**
   * A peer deleted their account: this device removed (or saw removed) their devices from the
   * conversation's encryption. Show "<name> deleted their account".
   */
  accountDeleted: (e: { conversationId: string; userId: string; username: string }) => void;
  /** Something the user should know (a refused device, an identity key change), as a sentence. */
  warning: (warning: { conversationId?: string; message: string }) => void;
  /** A security alert to show loudly (also emitted as a `warning`). */
  alert: (alert: SecurityAlert) => void;
}

import {
  bigint,
  boolean,
  customType,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
  identityKey: bytea('identity_key'),
  identityKeyChangedAt: tz('identity_key_changed_at'),
  identityResetAt: tz('identity_reset_at'),
  /**
   * Set when the account was deleted: the row stays as a tombstone so the username stays reserved.
   */
  deletedAt: tz('deleted_at'),
});

export const devices = pgTable('devices', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  name: text('name').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
  lastSeenAt: tz('last_seen_at').notNull().defaultNow(),
  revokedAt: tz('revoked_at'),
  revokedReason: text('revoked_reason').$type<'device-removed' | 'identity-reset'>(),
  certificate: bytea('certificate'),
});

export const loginChallenges = pgTable('login_challenges', {
  challenge: text('challenge').primaryKey(),
  expiresAt: tz('expires_at').notNull(),
});

export const keyPackages = pgTable('key_packages', {
  id: uuid('id').primaryKey(),
  deviceId: uuid('device_id').notNull(),
  userId: uuid('user_id').notNull(),
  keyPackage: bytea('key_package').notNull(),
  lastResort: boolean('last_resort').notNull().default(false),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const linkSessions = pgTable('link_sessions', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
  expiresAt: tz('expires_at').notNull(),
  messageCount: integer('message_count').notNull().default(0),
});

export const linkMessages = pgTable('link_messages', {
  sessionId: uuid('session_id').notNull(),
  seq: integer('seq').notNull(),
  fromDeviceId: uuid('from_device_id').notNull(),
  ciphertext: bytea('ciphertext').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const secretStorage = pgTable('secret_storage', {
  userId: uuid('user_id').primaryKey(),
  ciphertext: bytea('ciphertext').notNull(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

export const backupEntries = pgTable('backup_entries', {
  userId: uuid('user_id').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  deviceId: uuid('device_id').notNull(),
  entry: bytea('entry').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const refreshTokens = pgTable('refresh_tokens', {
  id: uuid('id').primaryKey(),
  familyId: uuid('family_id').notNull(),
  userId: uuid('user_id').notNull(),
  deviceId: uuid('device_id').notNull(),
  tokenHash: bytea('token_hash').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
  expiresAt: tz('expires_at').notNull(),
  rotatedAt: tz('rotated_at'),
  revokedAt: tz('revoked_at'),
});

export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  publicJwk: jsonb('public_jwk').notNull(),
  privateJwk: jsonb('private_jwk').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

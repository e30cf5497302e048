import type { Migration } from '@rchat/server-kit';

export const usersMigrations: readonly Migration[] = [
  {
    id: '0001_accounts_devices_tokens',
    sql: `
create table users (
  id uuid primary key,
  username text not null,
  password_hash text not null,
  created_at timestamptz not null default now(),
  constraint users_username_format check (username ~ '^[a-z0-9_.-]{3,32}$')
);
create unique index users_username_key on users (username text_pattern_ops);

create table devices (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index devices_user_idx on devices (user_id);

create table refresh_tokens (
  id uuid primary key,
  family_id uuid not null,
  user_id uuid not null references users (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  token_hash bytea not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  rotated_at timestamptz,
  revoked_at timestamptz
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);

create table signing_keys (
  kid text primary key,
  public_jwk jsonb not null,
  private_jwk jsonb not null,
  created_at timestamptz not null default now()
);
`,
  },
  {
    id: '0002_identity_keys_certificates_key_packages',
    sql: `
alter table users add column identity_key bytea;
alter table users add column identity_key_changed_at timestamptz;
alter table devices add column certificate bytea;

create table key_packages (
  id uuid primary key,
  device_id uuid not null references devices (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  key_package bytea not null,
  last_resort boolean not null default false,
  created_at timestamptz not null default now()
);
create index key_packages_device_idx on key_packages (device_id, last_resort, created_at);
create unique index key_packages_one_last_resort on key_packages (device_id) where last_resort;
`,
  },
  {
    id: '0003_link_sessions_secret_storage_backup',
    sql: `
create table link_sessions (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  message_count integer not null default 0
);
create index link_sessions_expiry_idx on link_sessions (expires_at);

create table link_messages (
  session_id uuid not null references link_sessions (id) on delete cascade,
  seq integer not null,
  from_device_id uuid not null,
  ciphertext bytea not null,
  created_at timestamptz not null default now(),
  primary key (session_id, seq)
);

create table secret_storage (
  user_id uuid primary key references users (id) on delete cascade,
  ciphertext bytea not null,
  updated_at timestamptz not null default now()
);

create table backup_entries (
  user_id uuid not null references users (id) on delete cascade,
  seq bigint not null,
  device_id uuid not null,
  entry bytea not null,
  created_at timestamptz not null default now(),
  primary key (user_id, seq)
);
`,
  },
  {
    id: '0004_identity_reset_device_proof',
    sql: `
alter table users add column identity_reset_at timestamptz;
alter table devices add column revoked_reason text
  constraint devices_revoked_reason_known check (revoked_reason in ('device-removed', 'identity-reset'));

create table login_challenges (
  challenge text primary key,
  expires_at timestamptz not null
);
create index login_challenges_expiry_idx on login_challenges (expires_at);
`,
  },
  {
    id: '0005_account_deletion',
    sql: `
alter table users add column deleted_at timestamptz;
create index users_deleted_idx on users (deleted_at) where deleted_at is not null;
create index refresh_tokens_revoked_idx on refresh_tokens (revoked_at) where revoked_at is not null;
`,
  },
  {
    id: '0006_retention',
    sql: `
create index refresh_tokens_expiry_idx on refresh_tokens (expires_at);
create index devices_revoked_idx on devices (revoked_at) where revoked_at is not null;
`,
  },
];

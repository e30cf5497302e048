import type { Migration } from '@rchat/server-kit';

export const chatMigrations: readonly Migration[] = [
  {
    id: '0001_conversations_messages_inbox',
    sql: `
create table conversations (
  id uuid primary key,
  kind text not null check (kind in ('direct')),
  direct_key text unique,
  created_at timestamptz not null default now(),
  last_seq bigint not null default 0,
  last_activity_at timestamptz not null default now()
);

create table conversation_members (
  conversation_id uuid not null references conversations (id) on delete cascade,
  user_id uuid not null,
  username text not null,
  joined_at timestamptz not null default now(),
  read_seq bigint not null default 0,
  primary key (conversation_id, user_id)
);
create index conversation_members_user_idx on conversation_members (user_id);

create table messages (
  conversation_id uuid not null references conversations (id) on delete cascade,
  seq bigint not null,
  id uuid not null unique,
  sender_user_id uuid not null,
  sender_device_id uuid not null,
  txn_id text not null,
  ciphertext bytea not null,
  created_at timestamptz not null default now(),
  primary key (conversation_id, seq)
);
create unique index messages_txn_key on messages (sender_device_id, txn_id);

create table inbox_heads (
  user_id uuid primary key,
  head_seq bigint not null
);

create table inbox_entries (
  user_id uuid not null,
  seq bigint not null,
  type text not null check (type in ('message', 'conversation', 'read')),
  conversation_id uuid not null,
  message_seq bigint,
  payload jsonb,
  created_at timestamptz not null default now(),
  primary key (user_id, seq)
);
`,
  },
  {
    id: '0002_mls_epochs_commits_welcomes',
    sql: `
alter table conversations add column epoch bigint not null default 0;
alter table messages add column epoch bigint;

create table commits (
  conversation_id uuid not null references conversations (id) on delete cascade,
  epoch bigint not null,
  sender_user_id uuid not null,
  sender_device_id uuid not null,
  commit bytea not null,
  created_at timestamptz not null default now(),
  primary key (conversation_id, epoch)
);

alter table inbox_entries drop constraint inbox_entries_type_check;
alter table inbox_entries add constraint inbox_entries_type_check check (type in ('message', 'conversation', 'read', 'commit', 'welcome'));
alter table inbox_entries add column commit_epoch bigint;
alter table inbox_entries add column device_ids uuid[];
`,
  },
  {
    id: '0003_join_requests',
    sql: `
alter table inbox_entries drop constraint inbox_entries_type_check;
alter table inbox_entries add constraint inbox_entries_type_check check (type in ('message', 'conversation', 'read', 'commit', 'welcome', 'join-request'));
`,
  },
  {
    id: '0004_deleted_accounts',
    sql: `
alter table conversation_members add column deleted_at timestamptz;
alter table inbox_entries drop constraint inbox_entries_type_check;
alter table inbox_entries add constraint inbox_entries_type_check check (type in ('message', 'conversation', 'read', 'commit', 'welcome', 'join-request', 'account-deleted'));
`,
  },
  {
    id: '0005_device_cursors',
    sql: `
create table device_cursors (
  user_id uuid not null,
  device_id uuid not null,
  cursor_seq bigint not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, device_id)
);
`,
  },
];

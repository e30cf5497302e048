-- Runs once, when the PostgreSQL volume is first initialised (the image runs
-- /docker-entrypoint-initdb.d/*.sql as POSTGRES_USER): one database per
-- service, as scaled-out mode expects. Each service creates its own tables.
CREATE DATABASE rchat_users;
CREATE DATABASE rchat_chat;

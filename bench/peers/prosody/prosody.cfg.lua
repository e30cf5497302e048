-- Prosody 0.12 configuration used by the rchat benchmark harness
-- (bench/systems/xmpp/prosody.ts renders it into a fresh temp dir per run).
-- Placeholders (double-at-sign NAME): DIR (temp dir), PORT (c2s port), ARCHIVE
-- ("mam" for the persisted variant, empty for the relay variant).
--
-- Benchmark-fair deviations from the defaults, all of them deliberate:
--   * nagle = false: TCP_NODELAY like every other system in the run
--     (Prosody leaves Nagle on by default, which adds up to 40 ms per reply).
--   * no TLS on loopback (no system in the run uses TLS), SCRAM-SHA-1 only
--     (PLAIN is refused on unencrypted connections).
--   * no mod_limits (rate limiting), registration open (loopback is on the
--     default registration allowlist, so no throttle applies).
--   * network_backend epoll (the 0.12 default, no select() 1024-fd limit).

pidfile = "@@DIR@@/prosody.pid"
data_path = "@@DIR@@/data"
certificates = "@@DIR@@/certs"
log = { warn = "@@DIR@@/prosody.log" }

network_backend = "epoll"
network_settings = { nagle = false }

c2s_ports = { @@PORT@@ }
c2s_interfaces = { "127.0.0.1" }
c2s_direct_tls_ports = {}
s2s_ports = {}
s2s_interfaces = {}
component_ports = {}
http_ports = {}
https_ports = {}

c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = false

authentication = "internal_hashed"
storage = "internal"
allow_registration = true

modules_enabled = { "roster"; "saslauth"; "disco"; "carbons"; "register"; @@ARCHIVE@@ }
modules_disabled = { "s2s" }

-- mod_mam (persisted variant only): archive every chat message, keep forever.
default_archive_policy = true
archive_expires_after = "never"

VirtualHost "bench.localhost"

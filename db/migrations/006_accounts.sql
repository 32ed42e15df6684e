-- Accounts: the people who sign in (users with roles, an agency or a scope in the unit tree), their server-side
-- sessions, the wall displays that show the wall through a kiosk link, the API keys scripts use, and the
-- append-only audit log of every write. Secrets are never stored: sessions, kiosk tokens and API keys are
-- kept as SHA-256 of a 256-bit random value, passwords as argon2id hashes.

CREATE TABLE users (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username         text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name     text,
  -- null: signs in through single sign-on only
  password_hash    text,
  roles            text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['operator', 'dispatcher', 'agency', 'leader', 'admin']),
  -- agency staff see what is dispatched to this unit and the units below it
  agency_unit_id   text REFERENCES units (id) ON DELETE RESTRICT,
  -- leaders read the performance of this unit and the units below it; null: the whole province
  scope_unit_id    text REFERENCES units (id) ON DELETE RESTRICT,
  oidc_subject     text UNIQUE,
  disabled_at      timestamptz,
  failed_logins    integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  password_changed_at timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT ('agency' = ANY (roles)) OR agency_unit_id IS NOT NULL)
);

CREATE TABLE kiosks (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  token_hash   text NOT NULL UNIQUE,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

CREATE TABLE api_keys (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL,
  -- a key acts as its user, with that user's roles and scope
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key_hash     text NOT NULL UNIQUE,
  -- the first characters of the key, so people can tell their keys apart
  prefix       text NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  user_id      bigint REFERENCES users (id) ON DELETE CASCADE,
  kiosk_id     bigint REFERENCES kiosks (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  ip           text,
  user_agent   text,
  CHECK ((user_id IS NULL) <> (kiosk_id IS NULL))
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL;
CREATE INDEX sessions_kiosk_idx ON sessions (kiosk_id) WHERE ended_at IS NULL;

CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  -- user, kiosk, api_key, device (an integration), system (the IOC itself), cli
  actor_kind  text NOT NULL,
  actor_id    text,
  actor_name  text NOT NULL,
  action      text NOT NULL,
  target_type text,
  target_id   text,
  before      jsonb,
  after       jsonb,
  ip          text,
  detail      text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_name, at DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);

-- Append-only: no row is changed or removed, whoever asks (a retention job would be a deliberate migration).
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

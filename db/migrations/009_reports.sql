-- Citizen reports (phản ánh, kiến nghị): the categories and their priority level, the routing rules that name
-- the agency in charge of a category in an area, the reports themselves (one store whatever the intake:
-- Open311, MQTT, the dispatcher console) and the history of every transition with its actor.

CREATE TABLE report_categories (
  code          text PRIMARY KEY,
  name          text NOT NULL,          -- Vietnamese, as citizens and staff read it
  name_en       text NOT NULL DEFAULT '',
  field         text NOT NULL,          -- lĩnh vực: environment, traffic, urban order, power, water, health, …
  priority      text NOT NULL CHECK (priority IN ('urgent', 'complex', 'normal')),
  description   text NOT NULL DEFAULT '',
  active        boolean NOT NULL DEFAULT true,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- (area, category) → agency: the area's rule covers every unit below it; no rule leaves the report with the IOC
CREATE TABLE report_routes (
  unit_id       text NOT NULL,
  category_code text NOT NULL REFERENCES report_categories (code) ON DELETE CASCADE,
  agency_id     text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_id, category_code)
);

CREATE SEQUENCE reports_id_seq;
CREATE TABLE reports (
  id              bigint PRIMARY KEY DEFAULT nextval('reports_id_seq'),
  -- what a citizen app keeps to look its report up before it has an id (Open311 tokens/{token}.json)
  token           text NOT NULL UNIQUE,
  source          text NOT NULL CHECK (source IN ('open311', 'mqtt', 'console')),
  -- the pushing system and its own id: resending the same report is a no-op
  channel_id      text,
  external_id     text,
  category_code   text NOT NULL REFERENCES report_categories (code),
  priority        text NOT NULL CHECK (priority IN ('urgent', 'complex', 'normal')),
  description     text NOT NULL,
  lat             double precision,
  lon             double precision,
  address         text,
  -- the deepest unit containing the point (routing, scoping and the wall's map)
  unit_id         text,
  agency_id       text,
  state           text NOT NULL,
  -- personal data: only dispatchers and admins read it, and each read is audited
  contact         jsonb NOT NULL DEFAULT '{}',
  media_urls      text[] NOT NULL DEFAULT '{}',
  attributes      jsonb NOT NULL DEFAULT '{}',
  duplicate_of    bigint REFERENCES reports (id),
  reject_reason   text,
  status_notes    text,
  result          text,
  satisfied       boolean,
  rating_comment  text,
  extension_pending boolean NOT NULL DEFAULT false,
  -- the deadline an agency asked for, until the dispatcher answers; extension_until once approved
  extension_requested timestamptz,
  extension_until timestamptz,
  received_at     timestamptz NOT NULL,
  forwarded_at    timestamptz,
  accepted_at     timestamptz,
  resolved_at     timestamptz,
  closed_at       timestamptz,
  escalated_at    timestamptz,
  api_key_id      text,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel_id, external_id)
);
CREATE INDEX reports_received_idx ON reports (received_at DESC);
CREATE INDEX reports_agency_idx ON reports (agency_id, state);
CREATE INDEX reports_open_idx ON reports (category_code, received_at) WHERE state NOT IN ('resolved', 'published', 'rated', 'rejected', 'duplicate');

-- every transition, with who took it (the audit log records the same with the request's address)
CREATE TABLE report_events (
  id          bigserial PRIMARY KEY,
  report_id   bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  action      text NOT NULL,
  from_state  text,
  to_state    text NOT NULL,
  actor_kind  text NOT NULL,
  actor_id    text,
  actor_name  text NOT NULL,
  agency_id   text,
  note        text,
  -- shown to the citizen (status_notes) or kept for staff only
  public      boolean NOT NULL DEFAULT false
);
CREATE INDEX report_events_report_idx ON report_events (report_id, at);

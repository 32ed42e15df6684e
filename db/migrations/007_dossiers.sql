-- Administrative dossiers (hồ sơ thủ tục hành chính): the procedures catalogue, the working-day calendar,
-- the event log one-stop systems send, each dossier's state derived from its log, and the daily aggregates
-- leader screens read (so no leader query scans the event log).

-- Units gain a type: departments (sở, ban, ngành) and localities (communes, wards, districts) are ranked
-- separately; the province and areas group them; centres are public-service centres.
ALTER TABLE units ADD COLUMN type text NOT NULL DEFAULT 'locality'
  CHECK (type IN ('province', 'area', 'department', 'locality', 'centre'));
UPDATE units SET type = 'province' WHERE parent_id IS NULL;

CREATE TABLE procedures (
  code          text PRIMARY KEY,
  name          text NOT NULL,
  field         text NOT NULL,
  -- legal processing time in working days (0.5 = half a day)
  legal_days    numeric NOT NULL CHECK (legal_days >= 0 AND legal_days <= 365),
  -- Decree 42/2022 'full' | 'partial', legacy levels '1'..'4', or 'none'
  online_level  text NOT NULL CHECK (online_level IN ('full', 'partial', 'none', '1', '2', '3', '4')),
  has_fee       boolean NOT NULL DEFAULT false,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Days whose status differs from "Monday to Friday are working days": seeded public holidays and the yearly
-- announcement's overrides (days off, make-up Saturdays). An override replaces the seed of its day.
CREATE TABLE calendar_days (
  day        date PRIMARY KEY,
  working    boolean NOT NULL,
  note       text NOT NULL DEFAULT '',
  source     text NOT NULL CHECK (source IN ('holiday', 'override')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The event log, idempotent on (dossier, event, time): a one-stop system may resend anything.
CREATE TABLE dossier_events (
  dossier_id        text NOT NULL,
  event             text NOT NULL,
  ts                timestamptz NOT NULL,
  system_id         text NOT NULL,
  unit_id           text,
  procedure_code    text,
  channel           text,
  appointment_at    timestamptz,
  to_unit_id        text,
  online            boolean,
  electronic_result boolean,
  fee               numeric,
  digitized         boolean,
  reused_data       boolean,
  stored_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dossier_id, event, ts)
);

-- One row per dossier, rewritten from its whole log whenever an event of it is stored. `facts` is the
-- time-stamped summary contract/dossiers/rules.ts judges at any instant; `counted` is what the dossier added to
-- the daily aggregates, so a change subtracts exactly that before adding its new contribution.
CREATE TABLE dossiers (
  id              text PRIMARY KEY,
  unit_id         text,
  procedure_code  text,
  channel         text,
  received_at     timestamptz,
  end_at          timestamptz,
  end_event       text,
  -- for ended dossiers: the final judgement and due time; for open ones: the due time as of the last event
  judgement       text CHECK (judgement IN ('early', 'on_time', 'late')),
  due_at          timestamptz,
  days_late       integer NOT NULL DEFAULT 0,
  facts           jsonb NOT NULL,
  counted         jsonb NOT NULL DEFAULT '[]',
  updated_at      timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 80); -- room for rewrites on the same page, so most skip the secondary indexes
-- dossiers open at an instant T: received_at <= T < end_at (end_at null: still open)
CREATE INDEX dossiers_open_idx ON dossiers USING gist (tstzrange(received_at, end_at, '[)')) WHERE received_at IS NOT NULL;
CREATE INDEX dossiers_end_idx ON dossiers (end_at, unit_id) WHERE end_at IS NOT NULL;
CREATE INDEX dossiers_received_idx ON dossiers (received_at, unit_id) WHERE received_at IS NOT NULL;

-- Daily aggregates per unit × procedure × Vietnam day: receipts counted on the day received, ends on the day
-- ended. Maintained in ingest's transaction by the deltas of the dossiers it rewrites.
CREATE TABLE dossier_daily (
  unit_id            text NOT NULL,
  procedure_code     text NOT NULL,
  day                date NOT NULL,
  received_total     integer NOT NULL DEFAULT 0,
  received_counter   integer NOT NULL DEFAULT 0,
  received_online    integer NOT NULL DEFAULT 0,
  received_post      integer NOT NULL DEFAULT 0,
  received_digitized integer NOT NULL DEFAULT 0,
  received_reused    integer NOT NULL DEFAULT 0,
  done_total         integer NOT NULL DEFAULT 0,
  done_early         integer NOT NULL DEFAULT 0,
  done_on_time       integer NOT NULL DEFAULT 0,
  done_late          integer NOT NULL DEFAULT 0,
  done_fee           integer NOT NULL DEFAULT 0,
  done_paid_online   integer NOT NULL DEFAULT 0,
  done_electronic    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, unit_id, procedure_code)
);
CREATE INDEX dossier_daily_unit_idx ON dossier_daily (unit_id, day);

-- The same per unit × day: what rankings, trends and province KPIs read (a year is ~365 rows per unit).
CREATE TABLE dossier_unit_daily (
  unit_id            text NOT NULL,
  day                date NOT NULL,
  received_total     integer NOT NULL DEFAULT 0,
  received_counter   integer NOT NULL DEFAULT 0,
  received_online    integer NOT NULL DEFAULT 0,
  received_post      integer NOT NULL DEFAULT 0,
  received_digitized integer NOT NULL DEFAULT 0,
  received_reused    integer NOT NULL DEFAULT 0,
  done_total         integer NOT NULL DEFAULT 0,
  done_early         integer NOT NULL DEFAULT 0,
  done_on_time       integer NOT NULL DEFAULT 0,
  done_late          integer NOT NULL DEFAULT 0,
  done_fee           integer NOT NULL DEFAULT 0,
  done_paid_online   integer NOT NULL DEFAULT 0,
  done_electronic    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, unit_id)
);

-- Time series and dead letters. Readings are narrow (one row per station, metric and time) so any metric in
-- the catalogue can be stored without a schema change; the primary keys make redelivered MQTT messages
-- harmless (ingest inserts with ON CONFLICT DO NOTHING).

CREATE TABLE station_readings (
  station_id text             NOT NULL,
  metric     text             NOT NULL,
  ts         timestamptz      NOT NULL,
  value      double precision NOT NULL,
  PRIMARY KEY (station_id, metric, ts)
);

-- Counter cameras report a period's counts per class; nulls are classes the camera did not report.
CREATE TABLE camera_counts (
  camera_id  text        NOT NULL,
  ts         timestamptz NOT NULL,
  period_sec integer     NOT NULL,
  person     integer,
  car        integer,
  motorbike  integer,
  truck      integer,
  bus        integer,
  bicycle    integer,
  inside     integer,
  PRIMARY KEY (camera_id, ts)
);

-- The newest value of each station metric, kept by ingest in the same transaction as the readings, so the
-- API answers "now" without scanning the hypertable.
CREATE TABLE station_latest (
  station_id text             NOT NULL,
  metric     text             NOT NULL,
  ts         timestamptz      NOT NULL,
  value      double precision NOT NULL,
  PRIMARY KEY (station_id, metric)
);

CREATE TABLE dead_letters (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at   timestamptz NOT NULL DEFAULT now(),
  topic         text        NOT NULL,
  code          text        NOT NULL,
  reason        text        NOT NULL,
  payload       text        NOT NULL,
  payload_bytes integer     NOT NULL,
  accepted      integer     NOT NULL DEFAULT 0
);
CREATE INDEX dead_letters_received_idx ON dead_letters (received_at DESC);

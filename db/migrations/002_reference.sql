-- Reference data: the unit tree and the devices placed in it. Units are a tree of any depth; boundaries
-- are GeoJSON geometries kept as jsonb so no PostGIS is needed (the wall draws them, the server matches
-- points to them).

CREATE TABLE units (
  id          text PRIMARY KEY,
  parent_id   text REFERENCES units (id) ON DELETE RESTRICT,
  name        text NOT NULL,
  level       text NOT NULL,
  geometry    jsonb,
  approximate boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX units_parent_idx ON units (parent_id);

CREATE TABLE stations (
  id                    text PRIMARY KEY,
  name                  text NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('air', 'water', 'noise')),
  unit_id               text REFERENCES units (id) ON DELETE SET NULL,
  lon                   double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat                   double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  expected_interval_sec integer NOT NULL DEFAULT 60 CHECK (expected_interval_sec > 0),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cameras (
  id                    text PRIMARY KEY,
  name                  text NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('service_center', 'road')),
  site                  text NOT NULL,
  unit_id               text REFERENCES units (id) ON DELETE SET NULL,
  lon                   double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat                   double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  capacity              integer CHECK (capacity > 0),
  expected_interval_sec integer NOT NULL DEFAULT 60 CHECK (expected_interval_sec > 0),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

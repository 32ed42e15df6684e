-- Without TimescaleDB: each aggregate is a table of materialized buckets (<name>_store), a function that
-- computes buckets from the raw table (<name>_compute) and a view <name> = materialized buckets below the
-- watermark + buckets computed live above it, which is what a real-time continuous aggregate is. So the
-- same queries work on both backends. ioc_refresh_aggregate() materializes a window (the maintenance loop
-- calls it every AGG_REFRESH_INTERVAL, see db/maintenance.ts); a statement trigger on the raw tables logs
-- late rows below the watermark so the next refresh recomputes exactly those buckets.
-- Plain materialized views were the obvious alternative; their REFRESH recomputes all history each time,
-- which stops scaling after a few days of readings.

CREATE TABLE ioc_aggregates (
  name      text PRIMARY KEY,
  source    text NOT NULL,
  watermark timestamptz NOT NULL DEFAULT '-infinity'
);

CREATE TABLE ioc_invalidations (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source  text NOT NULL,
  from_ts timestamptz NOT NULL,
  to_ts   timestamptz NOT NULL
);

CREATE FUNCTION ioc_watermark(agg text) RETURNS timestamptz LANGUAGE sql STABLE
  AS $$ SELECT coalesce((SELECT watermark FROM ioc_aggregates WHERE name = agg), '-infinity'::timestamptz) $$;

-- The share lock pins the watermarks until the inserting transaction commits: a refresh (which takes the
-- row FOR UPDATE before computing) waits for it and then sees its rows, or runs first and this trigger sees
-- the moved watermark and logs the rows. Without it, rows committed while a refresh was computing could
-- land below the new watermark in neither place.
CREATE FUNCTION ioc_log_invalidation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz;
  hi timestamptz;
BEGIN
  SELECT min(ts), max(ts) INTO lo, hi FROM new_rows;
  IF lo IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM ioc_aggregates WHERE source = TG_TABLE_NAME ORDER BY name FOR SHARE;
  IF lo < (SELECT max(watermark) FROM ioc_aggregates WHERE source = TG_TABLE_NAME) THEN
    INSERT INTO ioc_invalidations (source, from_ts, to_ts) VALUES (TG_TABLE_NAME, lo, hi);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER station_readings_invalidate AFTER INSERT ON station_readings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ioc_log_invalidation();
CREATE TRIGGER camera_counts_invalidate AFTER INSERT ON camera_counts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ioc_log_invalidation();

-- Materializes [from_ts, to_ts) of one aggregate (bounds aligned to its buckets by the caller) and moves
-- its watermark up to to_ts when the window reaches the old watermark.
CREATE FUNCTION ioc_refresh_aggregate(agg text, from_ts timestamptz, to_ts timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  -- waits for inserts in flight (see ioc_log_invalidation); the statements below then see their rows
  PERFORM 1 FROM ioc_aggregates WHERE name = agg FOR UPDATE;
  EXECUTE format('DELETE FROM %I WHERE bucket >= $1 AND bucket < $2', agg || '_store') USING from_ts, to_ts;
  EXECUTE format('INSERT INTO %I SELECT * FROM %I($1, $2)', agg || '_store', agg || '_compute') USING from_ts, to_ts;
  UPDATE ioc_aggregates SET watermark = to_ts WHERE name = agg AND watermark < to_ts AND from_ts <= watermark;
END $$;

-- env_5m
INSERT INTO ioc_aggregates (name, source) VALUES ('env_5m', 'station_readings');
CREATE TABLE env_5m_store (
  station_id text NOT NULL, metric text NOT NULL, bucket timestamptz NOT NULL,
  avg double precision, min double precision, max double precision, sum double precision, count bigint,
  PRIMARY KEY (station_id, metric, bucket)
);
CREATE INDEX env_5m_store_bucket_idx ON env_5m_store (bucket);
CREATE FUNCTION env_5m_compute(from_ts timestamptz, to_ts timestamptz)
RETURNS TABLE (station_id text, metric text, bucket timestamptz, avg double precision, min double precision, max double precision, sum double precision, count bigint)
LANGUAGE sql STABLE AS $$
  SELECT r.station_id, r.metric, time_bucket(INTERVAL '5 minutes', r.ts) AS bucket,
         avg(r.value), min(r.value), max(r.value), sum(r.value), count(*)
  FROM station_readings r WHERE r.ts >= from_ts AND r.ts < to_ts
  GROUP BY 1, 2, 3
$$;
CREATE VIEW env_5m AS
  SELECT * FROM env_5m_store WHERE bucket < ioc_watermark('env_5m')
  UNION ALL
  SELECT * FROM env_5m_compute(ioc_watermark('env_5m'), 'infinity');

-- env_1h
INSERT INTO ioc_aggregates (name, source) VALUES ('env_1h', 'station_readings');
CREATE TABLE env_1h_store (
  station_id text NOT NULL, metric text NOT NULL, bucket timestamptz NOT NULL,
  avg double precision, min double precision, max double precision, sum double precision, count bigint,
  PRIMARY KEY (station_id, metric, bucket)
);
CREATE INDEX env_1h_store_bucket_idx ON env_1h_store (bucket);
CREATE FUNCTION env_1h_compute(from_ts timestamptz, to_ts timestamptz)
RETURNS TABLE (station_id text, metric text, bucket timestamptz, avg double precision, min double precision, max double precision, sum double precision, count bigint)
LANGUAGE sql STABLE AS $$
  SELECT r.station_id, r.metric, time_bucket(INTERVAL '1 hour', r.ts) AS bucket,
         avg(r.value), min(r.value), max(r.value), sum(r.value), count(*)
  FROM station_readings r WHERE r.ts >= from_ts AND r.ts < to_ts
  GROUP BY 1, 2, 3
$$;
CREATE VIEW env_1h AS
  SELECT * FROM env_1h_store WHERE bucket < ioc_watermark('env_1h')
  UNION ALL
  SELECT * FROM env_1h_compute(ioc_watermark('env_1h'), 'infinity');

-- env_1d
INSERT INTO ioc_aggregates (name, source) VALUES ('env_1d', 'station_readings');
CREATE TABLE env_1d_store (
  station_id text NOT NULL, metric text NOT NULL, bucket timestamptz NOT NULL,
  avg double precision, min double precision, max double precision, sum double precision, count bigint,
  PRIMARY KEY (station_id, metric, bucket)
);
CREATE INDEX env_1d_store_bucket_idx ON env_1d_store (bucket);
CREATE FUNCTION env_1d_compute(from_ts timestamptz, to_ts timestamptz)
RETURNS TABLE (station_id text, metric text, bucket timestamptz, avg double precision, min double precision, max double precision, sum double precision, count bigint)
LANGUAGE sql STABLE AS $$
  SELECT r.station_id, r.metric, time_bucket(INTERVAL '1 day', r.ts, TIMESTAMPTZ '2000-01-03 00:00:00+07') AS bucket,
         avg(r.value), min(r.value), max(r.value), sum(r.value), count(*)
  FROM station_readings r WHERE r.ts >= from_ts AND r.ts < to_ts
  GROUP BY 1, 2, 3
$$;
CREATE VIEW env_1d AS
  SELECT * FROM env_1d_store WHERE bucket < ioc_watermark('env_1d')
  UNION ALL
  SELECT * FROM env_1d_compute(ioc_watermark('env_1d'), 'infinity');

-- camera_5m
INSERT INTO ioc_aggregates (name, source) VALUES ('camera_5m', 'camera_counts');
CREATE TABLE camera_5m_store (
  camera_id text NOT NULL, bucket timestamptz NOT NULL,
  person bigint, car bigint, motorbike bigint, truck bigint, bus bigint, bicycle bigint, vehicles bigint,
  inside_avg numeric, inside_min integer, inside_max integer, reports bigint, covered_sec bigint,
  PRIMARY KEY (camera_id, bucket)
);
CREATE INDEX camera_5m_store_bucket_idx ON camera_5m_store (bucket);
CREATE FUNCTION camera_5m_compute(from_ts timestamptz, to_ts timestamptz)
RETURNS TABLE (camera_id text, bucket timestamptz, person bigint, car bigint, motorbike bigint, truck bigint, bus bigint, bicycle bigint, vehicles bigint, inside_avg numeric, inside_min integer, inside_max integer, reports bigint, covered_sec bigint)
LANGUAGE sql STABLE AS $$
  SELECT c.camera_id, time_bucket(INTERVAL '5 minutes', c.ts) AS bucket,
         sum(c.person), sum(c.car), sum(c.motorbike), sum(c.truck), sum(c.bus), sum(c.bicycle),
         sum(coalesce(c.car, 0) + coalesce(c.motorbike, 0) + coalesce(c.truck, 0) + coalesce(c.bus, 0) + coalesce(c.bicycle, 0)),
         avg(c.inside), min(c.inside), max(c.inside), count(*), sum(c.period_sec)
  FROM camera_counts c WHERE c.ts >= from_ts AND c.ts < to_ts
  GROUP BY 1, 2
$$;
CREATE VIEW camera_5m AS
  SELECT * FROM camera_5m_store WHERE bucket < ioc_watermark('camera_5m')
  UNION ALL
  SELECT * FROM camera_5m_compute(ioc_watermark('camera_5m'), 'infinity');

-- camera_1h
INSERT INTO ioc_aggregates (name, source) VALUES ('camera_1h', 'camera_counts');
CREATE TABLE camera_1h_store (
  camera_id text NOT NULL, bucket timestamptz NOT NULL,
  person bigint, car bigint, motorbike bigint, truck bigint, bus bigint, bicycle bigint, vehicles bigint,
  inside_avg numeric, inside_min integer, inside_max integer, reports bigint, covered_sec bigint,
  PRIMARY KEY (camera_id, bucket)
);
CREATE INDEX camera_1h_store_bucket_idx ON camera_1h_store (bucket);
CREATE FUNCTION camera_1h_compute(from_ts timestamptz, to_ts timestamptz)
RETURNS TABLE (camera_id text, bucket timestamptz, person bigint, car bigint, motorbike bigint, truck bigint, bus bigint, bicycle bigint, vehicles bigint, inside_avg numeric, inside_min integer, inside_max integer, reports bigint, covered_sec bigint)
LANGUAGE sql STABLE AS $$
  SELECT c.camera_id, time_bucket(INTERVAL '1 hour', c.ts) AS bucket,
         sum(c.person), sum(c.car), sum(c.motorbike), sum(c.truck), sum(c.bus), sum(c.bicycle),
         sum(coalesce(c.car, 0) + coalesce(c.motorbike, 0) + coalesce(c.truck, 0) + coalesce(c.bus, 0) + coalesce(c.bicycle, 0)),
         avg(c.inside), min(c.inside), max(c.inside), count(*), sum(c.period_sec)
  FROM camera_counts c WHERE c.ts >= from_ts AND c.ts < to_ts
  GROUP BY 1, 2
$$;
CREATE VIEW camera_1h AS
  SELECT * FROM camera_1h_store WHERE bucket < ioc_watermark('camera_1h')
  UNION ALL
  SELECT * FROM camera_1h_compute(ioc_watermark('camera_1h'), 'infinity');

-- camera_1d
INSERT INTO ioc_aggregates (name, source) VALUES ('camera_1d', 'camera_counts');
CREATE TABLE camera_1d_store (
  camera_id text NOT NULL, bucket timestamptz NOT NULL,
  person bigint, car bigint, motorbike bigint, truck bigint, bus bigint, bicycle bigint, vehicles bigint,
  inside_avg numeric, inside_min integer, inside_max integer, reports bigint, covered_sec bigint,
  PRIMARY KEY (camera_id, bucket)
);
CREATE INDEX camera_1d_store_bucket_idx ON camera_1d_store (bucket);
CREATE FUNCTION camera_1d_compute(from_ts timestamptz, to_ts timestamptz)
RETURNS TABLE (camera_id text, bucket timestamptz, person bigint, car bigint, motorbike bigint, truck bigint, bus bigint, bicycle bigint, vehicles bigint, inside_avg numeric, inside_min integer, inside_max integer, reports bigint, covered_sec bigint)
LANGUAGE sql STABLE AS $$
  SELECT c.camera_id, time_bucket(INTERVAL '1 day', c.ts, TIMESTAMPTZ '2000-01-03 00:00:00+07') AS bucket,
         sum(c.person), sum(c.car), sum(c.motorbike), sum(c.truck), sum(c.bus), sum(c.bicycle),
         sum(coalesce(c.car, 0) + coalesce(c.motorbike, 0) + coalesce(c.truck, 0) + coalesce(c.bus, 0) + coalesce(c.bicycle, 0)),
         avg(c.inside), min(c.inside), max(c.inside), count(*), sum(c.period_sec)
  FROM camera_counts c WHERE c.ts >= from_ts AND c.ts < to_ts
  GROUP BY 1, 2
$$;
CREATE VIEW camera_1d AS
  SELECT * FROM camera_1d_store WHERE bucket < ioc_watermark('camera_1d')
  UNION ALL
  SELECT * FROM camera_1d_compute(ioc_watermark('camera_1d'), 'infinity');

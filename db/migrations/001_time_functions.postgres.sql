-- Without TimescaleDB: time_bucket shims over date_bin (PostgreSQL 14+), so every query is the same SQL on
-- both. TimescaleDB buckets shorter than a month from the origin 2000-01-03 (a Monday); so do these.
CREATE FUNCTION time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_bin(bucket_width, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') $$;

CREATE FUNCTION time_bucket(bucket_width interval, ts timestamptz, origin timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_bin(bucket_width, ts, origin) $$;

-- Continuous aggregates for the chart resolutions. materialized_only = false (real-time aggregation): a
-- query sees materialized buckets plus the not-yet-materialized tail computed from the hypertable, so
-- charts are current between refreshes. Daily buckets follow Vietnam's day (UTC+7, no DST).

CREATE MATERIALIZED VIEW env_5m WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT station_id, metric, time_bucket(INTERVAL '5 minutes', ts) AS bucket,
       avg(value) AS avg, min(value) AS min, max(value) AS max, sum(value) AS sum, count(*) AS count
FROM station_readings
GROUP BY station_id, metric, time_bucket(INTERVAL '5 minutes', ts)
WITH NO DATA;

CREATE MATERIALIZED VIEW env_1h WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT station_id, metric, time_bucket(INTERVAL '1 hour', ts) AS bucket,
       avg(value) AS avg, min(value) AS min, max(value) AS max, sum(value) AS sum, count(*) AS count
FROM station_readings
GROUP BY station_id, metric, time_bucket(INTERVAL '1 hour', ts)
WITH NO DATA;

CREATE MATERIALIZED VIEW env_1d WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT station_id, metric, time_bucket(INTERVAL '1 day', ts, TIMESTAMPTZ '2000-01-03 00:00:00+07') AS bucket,
       avg(value) AS avg, min(value) AS min, max(value) AS max, sum(value) AS sum, count(*) AS count
FROM station_readings
GROUP BY station_id, metric, time_bucket(INTERVAL '1 day', ts, TIMESTAMPTZ '2000-01-03 00:00:00+07')
WITH NO DATA;

CREATE MATERIALIZED VIEW camera_5m WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT camera_id, time_bucket(INTERVAL '5 minutes', ts) AS bucket,
       sum(person) AS person, sum(car) AS car, sum(motorbike) AS motorbike, sum(truck) AS truck,
       sum(bus) AS bus, sum(bicycle) AS bicycle,
       sum(coalesce(car, 0) + coalesce(motorbike, 0) + coalesce(truck, 0) + coalesce(bus, 0) + coalesce(bicycle, 0)) AS vehicles,
       avg(inside) AS inside_avg, min(inside) AS inside_min, max(inside) AS inside_max,
       count(*) AS reports, sum(period_sec) AS covered_sec
FROM camera_counts
GROUP BY camera_id, time_bucket(INTERVAL '5 minutes', ts)
WITH NO DATA;

CREATE MATERIALIZED VIEW camera_1h WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT camera_id, time_bucket(INTERVAL '1 hour', ts) AS bucket,
       sum(person) AS person, sum(car) AS car, sum(motorbike) AS motorbike, sum(truck) AS truck,
       sum(bus) AS bus, sum(bicycle) AS bicycle,
       sum(coalesce(car, 0) + coalesce(motorbike, 0) + coalesce(truck, 0) + coalesce(bus, 0) + coalesce(bicycle, 0)) AS vehicles,
       avg(inside) AS inside_avg, min(inside) AS inside_min, max(inside) AS inside_max,
       count(*) AS reports, sum(period_sec) AS covered_sec
FROM camera_counts
GROUP BY camera_id, time_bucket(INTERVAL '1 hour', ts)
WITH NO DATA;

CREATE MATERIALIZED VIEW camera_1d WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT camera_id, time_bucket(INTERVAL '1 day', ts, TIMESTAMPTZ '2000-01-03 00:00:00+07') AS bucket,
       sum(person) AS person, sum(car) AS car, sum(motorbike) AS motorbike, sum(truck) AS truck,
       sum(bus) AS bus, sum(bicycle) AS bicycle,
       sum(coalesce(car, 0) + coalesce(motorbike, 0) + coalesce(truck, 0) + coalesce(bus, 0) + coalesce(bicycle, 0)) AS vehicles,
       avg(inside) AS inside_avg, min(inside) AS inside_min, max(inside) AS inside_max,
       count(*) AS reports, sum(period_sec) AS covered_sec
FROM camera_counts
GROUP BY camera_id, time_bucket(INTERVAL '1 day', ts, TIMESTAMPTZ '2000-01-03 00:00:00+07')
WITH NO DATA;

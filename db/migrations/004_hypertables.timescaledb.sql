-- Hypertables partitioned by time, with compression settings (the policy that compresses is applied at
-- start-up from COMPRESS_AFTER, see db/policies.ts).
SELECT create_hypertable('station_readings', by_range('ts', INTERVAL '1 day'));
SELECT create_hypertable('camera_counts', by_range('ts', INTERVAL '7 days'));

ALTER TABLE station_readings SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'station_id, metric',
  timescaledb.compress_orderby = 'ts DESC'
);
ALTER TABLE camera_counts SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'camera_id',
  timescaledb.compress_orderby = 'ts DESC'
);

-- Plain tables: a time index for range scans, refreshes and retention (a hypertable brings its own).
CREATE INDEX station_readings_ts_idx ON station_readings (ts);
CREATE INDEX camera_counts_ts_idx ON camera_counts (ts);

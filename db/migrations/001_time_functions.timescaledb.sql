-- TimescaleDB provides time_bucket, hypertables and continuous aggregates.
CREATE EXTENSION IF NOT EXISTS timescaledb;

-- Photos of citizen reports: what the reporter sent and what the agency attached to its result. The files
-- live in the photo store (DATA_DIR/report-photos by default), re-encoded without their metadata (a phone's
-- EXIF carries where and when, which is personal data), with a small WebP thumbnail beside each.
CREATE TABLE report_photos (
  id           bigserial PRIMARY KEY,
  report_id    bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('report', 'result')),
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes        integer NOT NULL,
  width        integer NOT NULL,
  height       integer NOT NULL,
  sha256       text NOT NULL,
  uploaded_by  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_photos_report_idx ON report_photos (report_id, id);

-- Monthly rollups of the daily dossier aggregates, maintained by ingest in the same transaction and from the
-- same deltas. A period is read as its whole months here plus its partial months' days from the daily tables,
-- so a year is ~12 rows per unit × procedure instead of ~365 (bench:dossiers: the year's KPIs and rankings
-- missed 100 ms at 10 M events summing ~50 k daily rows).
CREATE TABLE dossier_monthly (
  unit_id            text NOT NULL,
  procedure_code     text NOT NULL,
  month              date NOT NULL, -- the first day of the Vietnam calendar month
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
  PRIMARY KEY (month, unit_id, procedure_code)
);

CREATE TABLE dossier_unit_monthly (
  unit_id            text NOT NULL,
  month              date NOT NULL,
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
  PRIMARY KEY (month, unit_id)
);

-- a database migrated before the rollups existed starts with them complete
INSERT INTO dossier_monthly
SELECT unit_id, procedure_code, date_trunc('month', day)::date,
  sum(received_total), sum(received_counter), sum(received_online), sum(received_post), sum(received_digitized), sum(received_reused),
  sum(done_total), sum(done_early), sum(done_on_time), sum(done_late), sum(done_fee), sum(done_paid_online), sum(done_electronic)
FROM dossier_daily GROUP BY 1, 2, 3;

INSERT INTO dossier_unit_monthly
SELECT unit_id, date_trunc('month', day)::date,
  sum(received_total), sum(received_counter), sum(received_online), sum(received_post), sum(received_digitized), sum(received_reused),
  sum(done_total), sum(done_early), sum(done_on_time), sum(done_late), sum(done_fee), sum(done_paid_online), sum(done_electronic)
FROM dossier_unit_daily GROUP BY 1, 2;

-- Change events (rule E1) in commit order: the event without its values
-- in body, the values in changes, which an erasure blanks.
CREATE TABLE contact_events (
    seq        BIGINT PRIMARY KEY,
    tenant     TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    at         BIGINT NOT NULL,
    body       TEXT NOT NULL,
    changes    TEXT NOT NULL
);

CREATE INDEX contact_events_by_contact ON contact_events (tenant, contact_id, seq);

-- The feed's head, the row named '', whose lock orders the writers that
-- record events; and each reader's cursor.
CREATE TABLE contact_feed (
    name TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);

INSERT INTO contact_feed (name, seq) VALUES ('', 0);

-- The answers of writes made under an Idempotency-Key (rule I1).
CREATE TABLE contact_replays (
    tenant      TEXT NOT NULL,
    idem_key    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      INTEGER NOT NULL,
    header      TEXT NOT NULL,
    body        TEXT NOT NULL,
    expires     BIGINT NOT NULL,
    PRIMARY KEY (tenant, idem_key)
);

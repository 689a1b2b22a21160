-- One row per contact: its canonical JSON form, its version for the
-- compare-and-swap, and its email in lower case for EmailOwner and
-- idProperty=email.
CREATE TABLE contacts (
    id      TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    body    TEXT NOT NULL,
    email   TEXT
);

CREATE INDEX contacts_by_email ON contacts (email);

-- The unique keys of each contact (a profile's Unique fields): the
-- primary key makes a second holder of one value fail inside the write.
CREATE TABLE contact_keys (
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (field, value)
);

CREATE INDEX contact_keys_by_contact ON contact_keys (contact_id);

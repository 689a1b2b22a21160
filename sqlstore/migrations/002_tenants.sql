-- Tenants (rule T1): the tenant leads every key and index, so that one
-- tenant's rows are one range of each index, and a distributed
-- PostgreSQL can place them by the tenant column. The contacts written
-- before tenants existed are kept, in the tenant "default".
CREATE TABLE contacts_by_tenant (
    tenant  TEXT NOT NULL,
    id      TEXT NOT NULL,
    version BIGINT NOT NULL,
    body    TEXT NOT NULL,
    email   TEXT,
    PRIMARY KEY (tenant, id)
);

INSERT INTO contacts_by_tenant (tenant, id, version, body, email)
    SELECT 'default', id, version, body, email FROM contacts;

-- Unique keys per tenant (rule T3): two tenants may hold one value.
CREATE TABLE contact_keys_by_tenant (
    tenant     TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (tenant, field, value),
    FOREIGN KEY (tenant, contact_id) REFERENCES contacts_by_tenant (tenant, id)
);

INSERT INTO contact_keys_by_tenant (tenant, field, value, contact_id)
    SELECT 'default', field, value, contact_id FROM contact_keys;

DROP TABLE contact_keys;
DROP TABLE contacts;
ALTER TABLE contacts_by_tenant RENAME TO contacts;
ALTER TABLE contact_keys_by_tenant RENAME TO contact_keys;

CREATE INDEX contacts_by_email ON contacts (tenant, email);
CREATE INDEX contact_keys_by_contact ON contact_keys (tenant, contact_id);

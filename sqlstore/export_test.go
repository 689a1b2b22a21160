package sqlstore

// OpenAt opens a store with its schema at an earlier version, so that
// the upgrade tests write a database as an earlier build did.
var OpenAt = open

// SchemaVersions is how many schema versions this build knows the
// tables' shapes of.
var SchemaVersions = len(shapes)

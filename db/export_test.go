package db

// InsertAuditBatchSQL is the audit writer's batch statement, for the
// benchmarks of package db_test that measure what it costs.
const InsertAuditBatchSQL = insertAuditBatchSQL

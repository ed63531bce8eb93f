package db

// InsertAuditBatchSQL is the audit writer's batch statement, for the
// benchmarks of package db_test that measure what it costs.
const InsertAuditBatchSQL = insertAuditBatchSQL

// StopReplicaChecks stops the checks of d's replica, so that only a read
// can find it down.
func StopReplicaChecks(d *DB) {
	d.replica.closed.Do(func() { close(d.replica.stop) })
	<-d.replica.done
}

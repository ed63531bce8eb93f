package db_test

import (
	"context"
	"strings"
	"testing"

	"exithub/db/pgtest"
)

// auditRecordParts are the batches BenchmarkAuditRecordCPU writes: an inbox
// page's record whole and without its parts, and the batch only read, not
// inserted, which is what decoding the batch's JSON costs.
var auditRecordParts = []struct {
	name           string
	objects, refs  int
	statement, pre string
}{
	{name: "whole", objects: 20, refs: 20, statement: insertBatchForBench},
	{name: "no-objects", refs: 20, statement: insertBatchForBench},
	{name: "no-refs", objects: 20, statement: insertBatchForBench},
	{name: "neither", statement: insertBatchForBench},
	{name: "whole-no-gin", objects: 20, refs: 20, statement: insertBatchForBench, pre: "DROP INDEX hub.audit_log_citizens"},
	{name: "decode-only", objects: 20, refs: 20, statement: decodeBatchForBench},
}

// decodeBatchForBench reads a batch as the batch writer's statement does
// (its FROM clause) and inserts nothing.
var decodeBatchForBench = "SELECT count(*) " + insertBatchForBench[strings.Index(insertBatchForBench, "FROM jsonb_to_recordset"):]

// BenchmarkAuditRecordCPU reports PostgreSQL's CPU per audit record of an
// NGO's inbox page (20 referrals, 20 citizens), written in batches of six
// (the group commit's average under 16 readers) from one connection, and
// the same without parts of the record, to show what each part costs:
//
//	go test ./db -run '^$' -bench AuditRecordCPU -benchtime 3000x
func BenchmarkAuditRecordCPU(b *testing.B) {
	const perBatch = 6
	for _, part := range auditRecordParts {
		b.Run(part.name, func(b *testing.B) {
			conn := rawConn(b, pgtest.NewDatabase(b))
			if part.pre != "" {
				mustExec(b, conn, part.pre)
			}
			batch := auditBatchJSON(b, perBatch, part.objects, part.refs)
			for range 100 { // the plan cached, the table's first pages written
				mustExec(b, conn, part.statement, batch)
			}
			before, err := pgtest.Cluster().CPUTime()
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := conn.Exec(context.Background(), part.statement, batch); err != nil {
					b.Fatal(err)
				}
			}
			after, err := pgtest.Cluster().CPUTime()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64((after-before).Microseconds())/float64(b.N*perBatch), "db-µs/record")
		})
	}
}

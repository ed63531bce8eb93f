package db_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"exithub/db"

	"github.com/jackc/pgx/v5"
)

// auditIndexes are the ways to serve a citizen's access log
// (citizen_refs @> ARRAY[ref]) whose write cost BenchmarkAuditIndexCost
// compares; "none" is the table alone.
var auditIndexes = map[string]string{
	"none":           "",
	"gin":            "CREATE INDEX audit_log_citizens ON hub.audit_log USING gin (citizen_refs)",
	"gin-fastupdate": "CREATE INDEX audit_log_citizens ON hub.audit_log USING gin (citizen_refs) WITH (fastupdate = off)",
}

// BenchmarkAuditIndexCost writes inbox-sized audit records (20 citizens
// each) in batches of 100 through the batch writer's statement, under each
// index, and reports the WAL bytes and time per record, the GIN pending
// list's cleanup included. Run with -bench AuditIndexCost -benchtime 1x.
func BenchmarkAuditIndexCost(b *testing.B) {
	for name, def := range auditIndexes {
		b.Run(name, func(b *testing.B) {
			_, url := openDB(b)
			conn := rawConn(b, url)
			mustExec(b, conn, "DROP INDEX IF EXISTS hub.audit_log_citizens")
			if def != "" {
				mustExec(b, conn, def)
			}
			batch := auditBatchJSON(b, 100, 20, 20)
			var before, after int64
			b.ResetTimer()
			start := time.Now()
			records := 0
			for range b.N {
				mustScan(b, conn, "SELECT pg_current_wal_lsn() - '0/0'", &before)
				for range 50 {
					mustExec(b, conn, insertBatchForBench, batch)
					records += 100
				}
				if def != "" {
					mustExec(b, conn, "SELECT gin_clean_pending_list('hub.audit_log_citizens')")
				}
				mustScan(b, conn, "SELECT pg_current_wal_lsn() - '0/0'", &after)
			}
			b.ReportMetric(float64(after-before)*float64(b.N)/float64(records), "WAL-bytes/record")
			b.ReportMetric(float64(time.Since(start).Microseconds())/float64(records), "µs/record")
		})
	}
}

// insertBatchForBench is the batch writer's statement.
const insertBatchForBench = db.InsertAuditBatchSQL

// auditBatchJSON is a batch of inbox-sized audit records, as the batch
// writer sends it: each names objects referrals and refs citizens.
func auditBatchJSON(tb testing.TB, records, objects, refs int) string {
	type rec struct {
		RequestID   string              `json:"request_id"`
		Sub         string              `json:"sub"`
		Operation   string              `json:"operation"`
		Role        string              `json:"role"`
		Objects     []map[string]string `json:"objects"`
		CitizenRefs []string            `json:"citizen_refs"`
		Outcome     string              `json:"outcome"`
	}
	out := make([]rec, records)
	for i := range out {
		r := rec{RequestID: fmt.Sprintf("bench-%d", i), Sub: "ngo_worker@reden", Operation: "Inbox", Role: "ngo_worker", Outcome: "OK"}
		r.Objects, r.CitizenRefs = []map[string]string{}, []string{}
		for j := range objects {
			r.Objects = append(r.Objects, map[string]string{"type": "Referral", "id": fmt.Sprintf("00000000-0000-0000-0000-%012d", i*objects+j)})
		}
		for j := range refs {
			r.CitizenRefs = append(r.CitizenRefs, fmt.Sprintf("%064x", (i*7919+j*104729)%100000))
		}
		out[i] = r
	}
	b, err := json.Marshal(out)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func mustExec(b testing.TB, conn *pgx.Conn, sql string, args ...any) {
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		b.Fatal(err)
	}
}

func mustScan(b testing.TB, conn *pgx.Conn, sql string, dst any) {
	if err := conn.QueryRow(context.Background(), sql).Scan(dst); err != nil {
		b.Fatal(err)
	}
}

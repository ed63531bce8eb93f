package db_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The app login has no back door into the second line: no role it can set
// and no SECURITY DEFINER function it (or such a role) can call erases data,
// reads audit rows of an organisation other than the one it says it is
// (hub.org()), or runs retention early. The test connects as the login and
// tries them all.
func TestAppLoginHasNoBackDoor(t *testing.T) {
	d, url := openDB(t)
	ctx := context.Background()
	own := rawConn(t, url)
	orgs := map[string]string{}
	for _, code := range []string{"101", "reden", "ministry"} {
		var id string
		if err := own.QueryRow(ctx, "SELECT id FROM hub.organisations WHERE code = $1", code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		orgs[code] = id
	}
	// Audit rows of three organisations and of nobody, each with a marker
	// that must not come back to anyone outside the organisation.
	for code, id := range orgs {
		if _, err := own.Exec(ctx, `INSERT INTO hub.audit_log (request_id, org_id, outcome) VALUES ($1, $2, 'OK')`, "secret-"+code, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := own.Exec(ctx, `INSERT INTO hub.audit_log (request_id, outcome) VALUES ('secret-none', 'UNAUTHENTICATED')`); err != nil {
		t.Fatal(err)
	}
	// What is due is erased first, so that any erasure the calls below
	// make would be an early one.
	if _, err := own.Exec(ctx, "SELECT hub.retention_run_due()"); err != nil {
		t.Fatal(err)
	}
	before := counts(t, own)

	var login string
	if err := d.Pool().QueryRow(ctx, "SELECT current_user").Scan(&login); err != nil || login != "exithub_app" {
		t.Fatalf("the pool logs in as %q (%v), want exithub_app", login, err)
	}
	roles := settableRoles(t, d.Pool())
	for _, forbidden := range []string{"exithub_sealer", "exithub_retention", "exithub_maintenance"} {
		for _, r := range roles {
			if r == forbidden {
				t.Errorf("the app login can become %s", r)
			}
		}
	}
	roles = append(roles, "") // the login itself, no SET ROLE
	tables := hubTables(t, own)
	funcs := definerFunctions(t, own)
	for _, role := range roles {
		for code, org := range orgs {
			as := func(fn func(pgx.Tx) error) error {
				setup := []string{fmt.Sprintf("SELECT set_config('hub.org_id', '%s', true)", org)}
				if role != "" {
					setup = append(setup, "SET LOCAL ROLE "+role)
				}
				return rawTx(t, d, setup, fn)
			}
			// The setup alone succeeds, so the errors below are the
			// statements' own.
			if err := as(func(pgx.Tx) error { return nil }); err != nil {
				t.Fatalf("as %q for %s: %v", role, code, err)
			}
			var outside int
			err := as(func(tx pgx.Tx) error {
				return tx.QueryRow(ctx, `SELECT count(*) FROM hub.audit_log WHERE org_id IS DISTINCT FROM hub.org()
					AND municipality_id IS DISTINCT FROM hub.org()`).Scan(&outside)
			})
			switch {
			case err != nil && !isPermissionDenied(err):
				t.Errorf("as %q for %s: reading the audit log failed otherwise than by permission: %v", role, code, err)
			case err == nil && outside > 0:
				t.Errorf("as %q for %s: reads %d audit rows of others", role, code, outside)
			}
			for _, table := range tables {
				for _, stmt := range []string{"DELETE FROM " + table, "TRUNCATE " + table} {
					if err := as(func(tx pgx.Tx) error { _, err := tx.Exec(ctx, stmt); return err }); err == nil {
						t.Errorf("as %q for %s: %s succeeded", role, code, stmt)
					} else if !isPermissionDenied(err) {
						t.Errorf("as %q for %s: %s failed otherwise than by permission: %v", role, code, stmt, err)
					}
				}
			}
			for _, f := range funcs {
				var out string
				err := as(func(tx pgx.Tx) error {
					// Rolled back by returning an error, whatever the call did.
					if err := tx.QueryRow(ctx, f.call).Scan(&out); err != nil {
						return err
					}
					return errRollback
				})
				if err == errRollback && strings.Contains(out, "secret-") && !strings.Contains(out, "secret-"+code) {
					t.Errorf("as %q for %s: %s returns others' audit rows", role, code, f.call)
				}
				// And for real, in case a rollback hides an erasure: the
				// counts below tell. The server's error (no permission, or
				// the NULL arguments refused) rolls the call back; any
				// other means it never ran.
				var pgErr *pgconn.PgError
				if err := as(func(tx pgx.Tx) error { _, err := tx.Exec(ctx, f.call); return err }); err != nil && !errors.As(err, &pgErr) {
					t.Errorf("as %q for %s: %s did not run: %v", role, code, f.call, err)
				}
			}
		}
	}
	if after := counts(t, own); after != before {
		t.Fatalf("rows before %v, after every role and function %v", before, after)
	}
}

var errRollback = fmt.Errorf("rollback")

// settableRoles are the roles the login may SET ROLE to: those it is a
// member of, directly or through other roles.
func settableRoles(t *testing.T, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) []string {
	t.Helper()
	rows, _ := q.Query(context.Background(), `WITH RECURSIVE r(oid) AS (
		SELECT roleid FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = current_user)
		UNION SELECT m.roleid FROM pg_auth_members m JOIN r ON m.member = r.oid)
		SELECT rolname FROM pg_roles WHERE oid IN (SELECT oid FROM r) ORDER BY 1`)
	roles, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return roles
}

func hubTables(t *testing.T, own *pgx.Conn) []string {
	t.Helper()
	rows, _ := own.Query(context.Background(), `SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
		WHERE schemaname IN ('hub', 'hub_private') ORDER BY 1`)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) < 10 {
		t.Fatalf("tables: %v %v", tables, err)
	}
	return tables
}

type definer struct{ call string }

// definerFunctions are every SECURITY DEFINER function of the hub, each as
// a call with NULL arguments whose result is read as text.
func definerFunctions(t *testing.T, own *pgx.Conn) []definer {
	t.Helper()
	rows, _ := own.Query(context.Background(), `SELECT format('SELECT (%s(%s))::text', p.oid::regproc,
			(SELECT string_agg('NULL', ', ') FROM generate_series(1, p.pronargs)))
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname IN ('hub', 'hub_private') AND p.prosecdef AND p.prorettype <> 'trigger'::regtype ORDER BY 1`)
	calls, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(calls) == 0 {
		t.Fatalf("functions: %v %v", calls, err)
	}
	// The attack as it was found: retention asked for tomorrow, which would
	// erase a citizen registered today.
	out := []definer{{"SELECT (hub.retention_run(current_date + 1))::text"}}
	for _, c := range calls {
		out = append(out, definer{c})
	}
	return out
}

// counts are the rows of what an erasure would remove.
func counts(t *testing.T, own *pgx.Conn) string {
	t.Helper()
	var s string
	err := own.QueryRow(context.Background(), `SELECT format('citizens %s referrals %s courses %s consents %s audit %s',
		(SELECT count(*) FROM hub.citizens), (SELECT count(*) FROM hub.referrals), (SELECT count(*) FROM hub.courses),
		(SELECT count(*) FROM hub.consents), (SELECT count(*) FROM hub.audit_log))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

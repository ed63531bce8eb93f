package db_test

import (
	"context"
	"os"
	"testing"

	"exithub"
	"exithub/db"
	"exithub/db/pgtest"
	"exithub/db/seed"
	"exithub/policy"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, db.Migrate)) }

// testKey is the pseudonym key of the tests; never a production key.
var testKey = []byte("test pseudonym key, not a secret")

// openDB gives a test its own migrated, seeded database and the hub's pool
// on it, logged in as the restricted app role.
func openDB(t testing.TB) (*db.DB, string) {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	if err := seed.Demo(ctx, url, testKey); err != nil {
		t.Fatal(err)
	}
	return openPool(t, db.Config{URL: url}), url
}

// openPool opens the hub's pool as cfg says, with the policy and the tests'
// key, closed when the test ends.
func openPool(t testing.TB, cfg db.Config) *db.DB {
	t.Helper()
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(context.Background(), cfg, authz, testKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// as returns a context in which the given organisation's role is asking.
func as(t *testing.T, d *db.DB, code string, role exithub.Role) context.Context {
	t.Helper()
	ctx := context.Background()
	org, err := d.OrganisationByCode(ctx, code)
	if err != nil {
		t.Fatalf("organisation %s: %v", code, err)
	}
	return exithub.NewContextWithPrincipal(ctx, &exithub.Principal{Sub: string(role) + "@" + code, Role: role, Org: *org})
}

// rawConn connects as the database's owner, to check raw records.
var rawConn = db.RawConn

package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db"
	"exithub/policy"
)

// Two instances serve the first request for a month at the same time: the
// release is computed once, and both answer with it. The first computation
// holds on until the other instance waits for the month's lock, so the two
// requests truly overlap.
func TestReleaseIsComputedOnceAcrossInstances(t *testing.T) {
	d1, url := openDB(t)
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	d2, err := db.Open(context.Background(), db.Config{URL: url}, authz, testKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d2.Close)
	raw := rawConn(t, url)
	m := exithub.Month{Year: 2014, Month: 3}
	var calls atomic.Int32
	waited := make(chan error, 1)
	publish := func(src exithub.ReleaseSource) (exithub.Release, error) {
		n := calls.Add(1)
		if n == 1 {
			waited <- waitForLockWaiter(raw)
		}
		return exithub.DefaultPrivacy.Publish(m, src, rand.NewChaCha8([32]byte{byte(n)}))
	}
	instances := []*db.DB{d1, d2}
	ctxs := []context.Context{as(t, d1, "ministry", exithub.RoleAnalyst), as(t, d2, "sfi", exithub.RoleAnalyst)}
	releases := make([]exithub.Release, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range instances {
		wg.Go(func() { releases[i], errs[i] = instances[i].Release(ctxs[i], m, exithub.DefaultPrivacy.K, publish) })
	}
	wg.Wait()
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("the release of %s was computed %d times", m, n)
	}
	if !reflect.DeepEqual(releases[0], releases[1]) || len(releases[0].Cells(exithub.TablePersons)) == 0 {
		t.Fatalf("the instances answer with different releases:\n%v\n%v", releases[0], releases[1])
	}
	again, err := d2.Release(ctxs[1], m, exithub.DefaultPrivacy.K, publish)
	if err != nil || !reflect.DeepEqual(again, releases[0]) || calls.Load() != 1 {
		t.Fatalf("a later request recomputed or changed the release (%v)", err)
	}
}

// waitForLockWaiter returns once a transaction waits for an advisory lock,
// or fails after 30 seconds.
func waitForLockWaiter(raw *pgx.Conn) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var waiting int
		if err := raw.QueryRow(context.Background(),
			"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").Scan(&waiting); err != nil {
			return err
		}
		if waiting > 0 {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("no second request waited for the release's lock")
}

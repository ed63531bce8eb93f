package auth

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestOpenKeyDirCreatesAPrivateKeyPair(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	k, err := OpenKeyDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	kid := mustKID(t, k)
	wantMode(t, dir, 0o700)
	wantMode(t, filepath.Join(dir, kid+".key"), 0o600)
	if _, err := readPublicKey(filepath.Join(dir, kid+".pub"), kid); err != nil {
		t.Fatal(err)
	}
	again, err := OpenKeyDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if mustKID(t, again) != kid {
		t.Fatal("reopening made a new key")
	}
}

func TestOpenKeyDirConcurrentFirstUseAgreesOnOneKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	const n = 8
	kids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k, err := OpenKeyDir(dir)
			if err != nil {
				t.Error(err)
				return
			}
			kids[i] = mustKID(t, k)
		})
	}
	wg.Wait()
	for _, kid := range kids {
		if kid != kids[0] {
			t.Fatalf("kids = %v", kids)
		}
	}
	keys, bad, err := readKeyDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || len(bad) != 0 {
		t.Fatalf("%d public keys and unusable %v, want the winner's only", len(keys), bad)
	}
}

func TestRotateKeepsOlderKeysTrusted(t *testing.T) {
	e := newEnv(t)
	old := e.mint(alice, time.Hour)
	oldKID := mustKID(t, e.keys)
	newKID, err := e.keys.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	if newKID == oldKID || mustKID(t, e.keys) != newKID {
		t.Fatalf("rotate: %s -> %s, current %s", oldKID, newKID, mustKID(t, e.keys))
	}
	wantMode(t, filepath.Join(e.keys.Dir(), newKID+".key"), 0o600)
	fresh := e.mint(alice, time.Hour)
	for _, v := range []*Verifier{e.v, e.verifier(VerifierOptions{})} {
		for name, tok := range map[string]string{"old key": old, "new key": fresh} {
			c, err := v.Verify(tok)
			wantAccepted(t, err)
			if want := map[string]string{"old key": oldKID, "new key": newKID}[name]; c.KeyID != want {
				t.Fatalf("%s: KeyID = %s, want %s", name, c.KeyID, want)
			}
		}
	}
}

func TestVerifierCreatedBeforeRotateAcceptsTheNewKey(t *testing.T) {
	e := newEnv(t) // e.v is made before the rotation
	if _, err := e.keys.Rotate(); err != nil {
		t.Fatal(err)
	}
	_, err := e.v.Verify(e.mint(alice, time.Hour))
	wantAccepted(t, err)
}

func TestUnknownKIDReloadsAtMostOncePerSecond(t *testing.T) {
	e := newEnv(t)
	mustRotate(t, e.keys)
	_, err := e.v.Verify(e.mint(alice, time.Hour)) // reloads
	wantAccepted(t, err)
	mustRotate(t, e.keys)
	tok := e.mint(alice, time.Hour)
	_, err = e.v.Verify(tok) // within the second: no reload
	wantRefused(t, err, msgInvalid)
	e.clock.Advance(minReloadGap)
	_, err = e.v.Verify(tok)
	wantAccepted(t, err)
}

func TestMintFollowsARotationByAnotherProcess(t *testing.T) {
	e := newEnv(t)
	other, err := OpenKeyDir(e.keys.Dir())
	if err != nil {
		t.Fatal(err)
	}
	e.mint(alice, time.Hour) // caches the first key
	kid := mustRotate(t, other)
	c, err := e.v.Verify(e.mint(alice, time.Hour))
	wantAccepted(t, err)
	if c.KeyID != kid {
		t.Fatalf("minted with %s, want the rotated-in %s", c.KeyID, kid)
	}
}

func TestRetireMakesOldKeyTokensFail(t *testing.T) {
	e := newEnv(t)
	oldKID := mustKID(t, e.keys)
	old := e.mint(alice, DefaultMaxLifetime)
	mustRotate(t, e.keys)
	_, err := e.v.Verify(old)
	wantAccepted(t, err)
	if err := e.keys.Retire(oldKID); err != nil {
		t.Fatal(err)
	}
	_, err = e.verifier(VerifierOptions{}).Verify(old)
	wantRefused(t, err, msgInvalid)
	// A running verifier stops trusting it within RefreshInterval.
	e.clock.Advance(defaultRefresh)
	_, err = e.v.Verify(old)
	wantRefused(t, err, msgInvalid)
	_, err = e.v.Verify(e.mint(alice, time.Hour))
	wantAccepted(t, err)
}

func TestRetireRefusesTheCurrentOrAnUnknownKey(t *testing.T) {
	e := newEnv(t)
	if err := e.keys.Retire(mustKID(t, e.keys)); err == nil {
		t.Fatal("retired the current key")
	}
	if err := e.keys.Retire("nosuchkey"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("retire unknown: %v", err)
	}
	if err := e.keys.Retire("../keys/current"); err == nil {
		t.Fatal("retired a path")
	}
	_, err := e.v.Verify(e.mint(alice, time.Hour))
	wantAccepted(t, err)
}

func TestMintRefusesIncompleteClaims(t *testing.T) {
	e := newEnv(t)
	for _, c := range []Claims{{Org: "101", Role: "caseworker"}, {Sub: "a", Role: "caseworker"},
		{Sub: "a", Org: "101"}, {Sub: "a", Org: "101", Role: "root"}} {
		if _, err := e.keys.Mint(c, time.Hour); err == nil {
			t.Fatalf("minted %+v", c)
		}
	}
}

func wantMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Fatalf("%s: mode %o, want %o", filepath.Base(path), got, want)
	}
}

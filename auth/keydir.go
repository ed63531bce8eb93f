package auth

import (
	"crypto"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// DefaultIssuer is the issuer and audience of tokens when none is configured.
const DefaultIssuer = "exithub"

// currentFile names the file holding the kid Mint signs with.
const currentFile = "current"

// KeyDir is a directory of Ed25519 signing keys: <kid>.key (PKCS #8 PEM,
// 0600), <kid>.pub (PKIX PEM) and a file "current" naming the signing key.
// Every *.pub stays trusted by a Verifier until it is retired, which is what
// lets keys rotate while tokens signed with the old one are still out.
type KeyDir struct {
	// Issuer is the iss of minted tokens; DefaultIssuer when empty.
	Issuer string
	// Audience is the aud of minted tokens; DefaultIssuer when empty.
	Audience string
	// Now is Mint's clock; time.Now when nil.
	Now func() time.Time

	dir string

	mu        sync.Mutex // guards the cached signer and serialises Rotate
	signerKID string
	signer    crypto.Signer
}

// OpenKeyDir opens the key directory dir, creating it (0700) and a first key
// pair if it has none yet.
func OpenKeyDir(dir string) (*KeyDir, error) {
	if dir == "" {
		return nil, errors.New("auth: no key directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: key directory: %w", err)
	}
	k := &KeyDir{Issuer: DefaultIssuer, Audience: DefaultIssuer, dir: dir}
	_, err := k.CurrentKID()
	if errors.Is(err, fs.ErrNotExist) {
		err = k.initialise()
	}
	if err != nil {
		return nil, err
	}
	return k, nil
}

// Dir returns the directory's path.
func (k *KeyDir) Dir() string { return k.dir }

// CurrentKID returns the id of the key Mint signs with. It is read from disk
// each time, so a rotation by another process (exithub keys rotate) is seen.
func (k *KeyDir) CurrentKID() (string, error) {
	b, err := os.ReadFile(filepath.Join(k.dir, currentFile))
	if err != nil {
		return "", err
	}
	kid := strings.TrimSpace(string(b))
	if err := checkName("kid", kid); err != nil {
		return "", err
	}
	return kid, nil
}

// initialise makes the first key pair. If another process does so at the
// same time, its key becomes current and ours is removed unused.
func (k *KeyDir) initialise() error {
	kp, err := k.addKeyPair()
	if err != nil {
		return err
	}
	err = createFile(k.dir, currentFile, []byte(kp.kid+"\n"), 0o644)
	if errors.Is(err, fs.ErrExist) {
		return k.removeKey(kp.kid)
	}
	return err
}

// Rotate makes a new key pair and signs with it from now on. The older keys
// stay trusted until retired.
func (k *KeyDir) Rotate() (kid string, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	kp, err := k.addKeyPair()
	if err != nil {
		return "", err
	}
	if err := replaceFile(k.dir, currentFile, []byte(kp.kid+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("auth: make %s current: %w", kp.kid, err)
	}
	return kp.kid, nil
}

// Retire removes the key kid, so tokens it signed are no longer trusted
// (once verifiers have re-read the directory). The current key cannot be
// retired: rotate first.
func (k *KeyDir) Retire(kid string) error {
	if err := checkName("kid", kid); err != nil {
		return err
	}
	cur, err := k.CurrentKID()
	if err != nil {
		return err
	}
	if kid == cur {
		return fmt.Errorf("auth: %s is the current signing key; rotate before retiring it", kid)
	}
	return k.removeKey(kid)
}

// addKeyPair stores a new key pair; the private key first, so that a
// trusted public key always has its private key beside it.
func (k *KeyDir) addKeyPair() (keyPair, error) {
	kp, err := newKeyPair()
	if err != nil {
		return keyPair{}, err
	}
	if err := createFile(k.dir, kp.kid+".key", kp.private, 0o600); err != nil {
		return keyPair{}, fmt.Errorf("auth: store private key: %w", err)
	}
	if err := createFile(k.dir, kp.kid+".pub", kp.public, 0o644); err != nil {
		return keyPair{}, fmt.Errorf("auth: store public key: %w", err)
	}
	return kp, nil
}

// removeKey deletes a key pair, the public key first so that trust goes
// before the means to sign.
func (k *KeyDir) removeKey(kid string) error {
	errPub := os.Remove(filepath.Join(k.dir, kid+".pub"))
	errKey := os.Remove(filepath.Join(k.dir, kid+".key"))
	if errors.Is(errPub, fs.ErrNotExist) && errors.Is(errKey, fs.ErrNotExist) {
		return fmt.Errorf("auth: no key %s: %w", kid, fs.ErrNotExist)
	}
	for _, err := range []error{errPub, errKey} {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("auth: retire %s: %w", kid, err)
		}
	}
	return nil
}

package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
)

// VerifierOptions configures a Verifier. At least one of KeyDir and JWKS is
// needed.
type VerifierOptions struct {
	// KeyDir is a key directory (see KeyDir) whose every *.pub is trusted.
	KeyDir string
	// JWKS is a JWKS file path or http(s) URL whose signing keys are also
	// trusted, such as an identity provider's.
	JWKS string
	// Issuer is the required iss; DefaultIssuer when empty.
	Issuer string
	// Audience is the required aud; DefaultIssuer when empty.
	Audience string
	// Leeway is the clock skew allowed on exp, nbf and iat; 30s when zero.
	Leeway time.Duration
	// RefreshInterval bounds how long a running verifier keeps trusting a key
	// retired from KeyDir or dropped from a JWKS file: both are re-read on
	// the first Verify after it. One minute when zero; never when negative.
	RefreshInterval time.Duration
	// MaxLifetime bounds exp: at most this long after iat, or after now when
	// the token has no iat, so that a stolen long-lived token is worth
	// little. DefaultMaxLifetime when zero; unbounded when negative.
	MaxLifetime time.Duration
	// Now is the clock for token times and reload pacing; time.Now when nil.
	Now func() time.Time
}

// Defaults of VerifierOptions.
const (
	// DefaultMaxLifetime is the longest token lifetime accepted by default.
	DefaultMaxLifetime = 12 * time.Hour

	defaultLeeway  = 30 * time.Second
	defaultRefresh = time.Minute
	// minReloadGap paces the reloads an unknown kid causes, so that a
	// stream of tokens with made-up kids costs one directory read a second.
	minReloadGap = time.Second
)

// Verifier checks bearer tokens. It is safe for concurrent use and cheap per
// call: keys are parsed once and kept in memory.
type Verifier struct {
	opts   VerifierOptions
	parser *jwt.Parser

	mu       sync.RWMutex
	keys     *keySet
	loadedAt time.Time

	reloadMu    sync.Mutex // one reload at a time
	kidReloadAt time.Time  // guarded by reloadMu

	cache tokenCache // verified tokens until they expire

	remote jwkset.Storage // nil unless JWKS is a URL
	ctx    context.Context
	cancel context.CancelFunc
}

// NewVerifier returns a verifier trusting the keys opts names. The keys are
// read now, and a key directory or JWKS file that cannot be read, or a *.pub
// in it that cannot be used, is an error. A JWKS URL is fetched now (waiting
// at most a few seconds) and refreshed in the background; a fetch that fails
// is not an error, so an identity provider that is down delays its own
// tokens rather than the start of the server.
func NewVerifier(opts VerifierOptions) (*Verifier, error) {
	if opts.KeyDir == "" && opts.JWKS == "" {
		return nil, errors.New("auth: a verifier needs a key directory or a JWKS")
	}
	v := newVerifier(opts)
	set, err := v.load(true)
	if err != nil {
		v.Close()
		return nil, err
	}
	v.keys, v.loadedAt = set, v.now()
	if isURL(opts.JWKS) {
		if err := v.openRemote(opts.JWKS); err != nil {
			v.Close()
			return nil, err
		}
	}
	return v, nil
}

// newVerifier fills in the defaults and builds the parser once: its options
// never change, and a Parser is safe for concurrent use.
func newVerifier(opts VerifierOptions) *Verifier {
	opts.Issuer, opts.Audience = orDefault(opts.Issuer), orDefault(opts.Audience)
	if opts.Leeway == 0 {
		opts.Leeway = defaultLeeway
	}
	if opts.MaxLifetime == 0 {
		opts.MaxLifetime = DefaultMaxLifetime
	}
	if opts.RefreshInterval == 0 {
		opts.RefreshInterval = defaultRefresh
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	v := &Verifier{opts: opts}
	v.ctx, v.cancel = context.WithCancel(context.Background())
	v.parser = jwt.NewParser(
		jwt.WithValidMethods(acceptedAlgs),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(opts.Issuer),
		jwt.WithAudience(opts.Audience),
		jwt.WithLeeway(opts.Leeway),
		jwt.WithTimeFunc(opts.Now),
		// Strict base64 leaves one encoding per token, so a token cannot
		// be varied while its signature still holds.
		jwt.WithStrictDecoding(),
	)
	return v
}

// Close stops the background refresh of a JWKS URL. A verifier without one
// needs no closing.
func (v *Verifier) Close() { v.cancel() }

// now is the verifier's clock.
func (v *Verifier) now() time.Time { return v.opts.Now() }

// load reads the key directory and a JWKS file. When strict, a *.pub that
// cannot be used is an error; on a reload it is skipped, so that one bad
// file does not keep the others (a rotated-in key) from being trusted.
func (v *Verifier) load(strict bool) (*keySet, error) {
	var dirKeys, fileKeys []trustedKey
	if v.opts.KeyDir != "" {
		keys, bad, err := readKeyDir(v.opts.KeyDir)
		if err != nil {
			return nil, err
		}
		if strict && len(bad) > 0 {
			return nil, fmt.Errorf("auth: unusable keys in %s: %v", v.opts.KeyDir, bad)
		}
		dirKeys = keys
	}
	if v.opts.JWKS != "" && !isURL(v.opts.JWKS) {
		keys, err := readJWKSFile(v.opts.JWKS)
		if err != nil {
			return nil, err
		}
		fileKeys = keys
	}
	return newKeySet(dirKeys, fileKeys), nil
}

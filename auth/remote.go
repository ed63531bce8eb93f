package auth

import (
	"fmt"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"golang.org/x/time/rate"
)

// Pacing of a JWKS URL: a background refresh catches keys the provider
// drops; an unknown kid triggers a refresh at most once a minute, and a
// request waits at most remoteWait for one.
const (
	remoteRefresh  = 5 * time.Minute
	remoteKIDEvery = time.Minute
	remoteWait     = 5 * time.Second
)

// openRemote starts keeping the JWKS at url, refreshed in the background
// until Close.
func (v *Verifier) openRemote(url string) error {
	kf, err := keyfunc.NewDefaultOverrideCtx(v.ctx, []string{url}, keyfunc.Override{
		HTTPTimeout:       remoteWait,
		RateLimitWaitMax:  remoteWait,
		RefreshInterval:   remoteRefresh,
		RefreshUnknownKID: rate.NewLimiter(rate.Every(remoteKIDEvery), 1),
	})
	if err != nil {
		return fmt.Errorf("auth: JWKS %s: %w", url, err)
	}
	v.remote = kf.Storage()
	return nil
}

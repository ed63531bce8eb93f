package main

import (
	"context"
	"flag"

	"exithub/auth"
	"exithub/db"
	"exithub/server"
)

// limitFlags declares the abuse limits' flags; the returned function
// finishes what a flag value alone cannot (parsing the proxy list).
func (m *Main) limitFlags(fs *flag.FlagSet) func() error {
	c := &m.Config
	fs.IntVar(&c.MaxDocumentBytes, "max-document", envInt("EXITHUB_MAX_DOCUMENT", c.MaxDocumentBytes), "query text limit in bytes, checked before validation (EXITHUB_MAX_DOCUMENT)")
	fs.IntVar(&c.MaxTokens, "max-tokens", envInt("EXITHUB_MAX_TOKENS", c.MaxTokens), "query token limit, checked before validation (EXITHUB_MAX_TOKENS)")
	fs.IntVar(&c.MaxFields, "max-fields", envInt("EXITHUB_MAX_FIELDS", c.MaxFields), "fields of an operation once fragments are expanded, checked before validation (EXITHUB_MAX_FIELDS)")
	fs.IntVar(&c.ListSize, "list-size", envInt("EXITHUB_LIST_SIZE", c.ListSize), "the length the cost model assumes for a list without first (EXITHUB_LIST_SIZE)")
	fs.IntVar(&c.MaxResponseBytes, "max-response", envInt("EXITHUB_MAX_RESPONSE", c.MaxResponseBytes), "answer data limit in bytes (EXITHUB_MAX_RESPONSE)")
	fs.IntVar(&c.MaxAuditObjects, "max-audit-objects", envInt("EXITHUB_MAX_AUDIT_OBJECTS", c.MaxAuditObjects), "personal objects one operation may touch, and so audit (EXITHUB_MAX_AUDIT_OBJECTS)")
	fs.Float64Var(&c.AnonRatePerSecond, "anon-rate-limit", envFloat("EXITHUB_ANON_RATE_LIMIT", c.AnonRatePerSecond), "failed authentications per second per client address, 0 for none (EXITHUB_ANON_RATE_LIMIT)")
	fs.IntVar(&c.AnonBurst, "anon-rate-burst", envInt("EXITHUB_ANON_RATE_BURST", c.AnonBurst), "burst of failed authentications per client address (EXITHUB_ANON_RATE_BURST)")
	proxies := fs.String("trusted-proxies", env("EXITHUB_TRUSTED_PROXIES", ""), "addresses and CIDR prefixes whose X-Forwarded-For names the client (EXITHUB_TRUSTED_PROXIES)")
	fs.DurationVar(&c.ReadHeaderTimeout, "read-header-timeout", envDuration("EXITHUB_READ_HEADER_TIMEOUT", c.ReadHeaderTimeout), "time to read a request's headers (EXITHUB_READ_HEADER_TIMEOUT)")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", envDuration("EXITHUB_READ_TIMEOUT", c.ReadTimeout), "time to read a whole request (EXITHUB_READ_TIMEOUT)")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", envDuration("EXITHUB_WRITE_TIMEOUT", c.WriteTimeout), "time to answer a request, more than the statement timeout (EXITHUB_WRITE_TIMEOUT)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", envDuration("EXITHUB_IDLE_TIMEOUT", c.IdleTimeout), "how long an idle keep-alive connection stays open (EXITHUB_IDLE_TIMEOUT)")
	fs.IntVar(&c.MaxWebSockets, "max-websockets", envInt("EXITHUB_MAX_WEBSOCKETS", c.MaxWebSockets), "open WebSocket connections per instance (EXITHUB_MAX_WEBSOCKETS)")
	fs.IntVar(&c.MaxWebSocketsPerOrg, "max-websockets-per-org", envInt("EXITHUB_MAX_WEBSOCKETS_PER_ORG", c.MaxWebSocketsPerOrg), "open WebSocket connections per organisation (EXITHUB_MAX_WEBSOCKETS_PER_ORG)")
	fs.DurationVar(&c.WebSocketInitTimeout, "websocket-init-timeout", envDuration("EXITHUB_WEBSOCKET_INIT_TIMEOUT", c.WebSocketInitTimeout), "time a WebSocket has to send connection_init before it is closed with 4408 (EXITHUB_WEBSOCKET_INIT_TIMEOUT)")
	fs.DurationVar(&m.MaxTokenLifetime, "max-token-lifetime", envDuration("EXITHUB_MAX_TOKEN_LIFETIME", auth.DefaultMaxLifetime), "longest token lifetime accepted, exp minus iat (EXITHUB_MAX_TOKEN_LIFETIME)")
	return func() error {
		var err error
		c.TrustedProxies, err = server.ParseTrustedProxies(*proxies)
		return err
	}
}

// setRetentionPeriod writes --retention into the database, which only its
// owner may: given only the app login's URL, serve keeps the period the
// database holds and says so.
func (m *Main) setRetentionPeriod(ctx context.Context) {
	if m.DatabaseURL == "" {
		m.Log.Warn("retention: no owner URL; the database's retention period applies")
		return
	}
	if err := db.SetRetentionPeriod(ctx, m.DatabaseURL, m.Retention); err != nil {
		m.Log.Warn("retention: the period could not be set; the database's applies", "err", err)
	}
}

package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"

	"exithub"
	"exithub/auth"
)

// websocket is the graphql-transport-ws transport. The token arrives in
// connection_init's payload; the connection closes when it expires. Each
// close says why, in the protocol's codes (see wsclose.go).
func (s *Server) websocket() transport.Websocket {
	return transport.Websocket{
		// Any origin may connect: a token in connection_init, never a cookie,
		// authenticates, so a foreign page gains nothing by opening a socket.
		Implementation: closeCodes{initTimeoutImplementation{after: s.cfg.WebSocketInitTimeout,
			WebsocketImplementation: transport.CoderWebsocketImplementation{
				AcceptOptions: websocket.AcceptOptions{InsecureSkipVerify: true},
			}}},
		KeepAlivePingInterval: 15 * time.Second,
		InitFunc: s.limitInit(func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			pr, refusedFrom, err := s.initPrincipal(ctx, p)
			if err != nil {
				return refusal(ctx, err), nil, err
			}
			if sock := socketFrom(ctx); sock != nil {
				sock.accepted(refusedFrom)
			}
			if err := s.ws.admitOrg(ctx, pr.Org.Code); err != nil {
				return overCap(ctx), nil, err
			}
			ctx = exithub.NewContextWithPrincipal(ctx, pr)
			// The connection lives no longer than its token is accepted.
			ctx, cancel := context.WithDeadline(ctx, refusedFrom)
			context.AfterFunc(ctx, cancel)
			return ctx, nil, nil
		}),
	}
}

func (s *Server) initPrincipal(ctx context.Context, p transport.InitPayload) (*exithub.Principal, time.Time, error) {
	token, err := auth.ParseBearer(p.Authorization())
	if err != nil {
		return nil, time.Time{}, err
	}
	return s.identity.Principal(ctx, token)
}

// refusal tells gqlgen how to close a connection whose connection_init
// failed: 4403 Forbidden for a refused token, as the protocol recommends
// (graphql-ws then stops and reports it), and 1013 Try Again Later when the
// token could not be checked, so the client comes back.
func refusal(ctx context.Context, err error) context.Context {
	code := exithub.ErrorCode(err)
	if code == exithub.EUNAUTHENTICATED {
		ctx = transport.WithWebsocketCloseCode(ctx, closeForbidden)
		return transport.AppendCloseReason(ctx, closeReason("Forbidden: "+exithub.ErrorMessage(err)))
	}
	ctx = transport.WithWebsocketCloseCode(ctx, closeTryAgainLater)
	return transport.AppendCloseReason(ctx, "the service is unavailable; try again")
}

// closeReason fits a reason into a close frame's 123 bytes.
func closeReason(s string) string {
	if len(s) <= 123 {
		return s
	}
	return strings.ToValidUTF8(s[:123], "")
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

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
// connection_init's payload; the connection closes when it expires.
func (s *Server) websocket() transport.Websocket {
	return transport.Websocket{
		// Any origin may connect: a token in connection_init, never a cookie,
		// authenticates, so a foreign page gains nothing by opening a socket.
		Implementation: initTimeoutImplementation{after: s.cfg.WebSocketInitTimeout,
			WebsocketImplementation: transport.CoderWebsocketImplementation{
				AcceptOptions: websocket.AcceptOptions{InsecureSkipVerify: true},
			}},
		KeepAlivePingInterval: 15 * time.Second,
		InitFunc: s.limitInit(func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			token, err := auth.ParseBearer(p.Authorization())
			if err != nil {
				return ctx, nil, err
			}
			pr, exp, err := s.identity.Principal(ctx, token)
			if err != nil {
				return ctx, nil, err
			}
			if err := s.ws.admitOrg(ctx, pr.Org.Code); err != nil {
				return overCap(ctx), nil, err
			}
			ctx = exithub.NewContextWithPrincipal(ctx, pr)
			// The connection lives no longer than its token.
			ctx, cancel := context.WithDeadline(ctx, exp)
			context.AfterFunc(ctx, cancel)
			return ctx, nil, nil
		}),
	}
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

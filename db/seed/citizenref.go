package seed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/jackc/pgx/v5"
)

// citizenRefs returns hub.citizen_ref computed in Go with the database's
// secret, read once: the national load copies with triggers off and
// stores each row's reference itself, as the trigger would.
func citizenRefs(ctx context.Context, tx pgx.Tx) (func(id string) string, error) {
	var secret []byte
	if err := tx.QueryRow(ctx, "SELECT secret FROM hub_private.statistics_secret").Scan(&secret); err != nil {
		return nil, err
	}
	return func(id string) string {
		h := sha256.New()
		h.Write(secret)
		h.Write([]byte("citizen:" + id))
		return hex.EncodeToString(h.Sum(nil))
	}, nil
}

package db

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// OrganisationAt reads one organisation by code from the database at url,
// for a command that has no pool (exithub token checks what it is asked
// to sign against the directory, as the server will). ErrNotFound when the
// directory has no such code.
func OrganisationAt(ctx context.Context, url, code string) (*exithub.Organisation, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, "SELECT "+orgColumns+" FROM hub.organisations o WHERE o.code = $1", code)
	o, err := pgx.CollectExactlyOneRow(rows, scanOrganisation)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, exithub.ErrNotFound
	}
	if err != nil {
		return nil, translate(err)
	}
	return o, nil
}

package db

import (
	"context"
	"fmt"

	"exithub"
)

// resourceTables names the tables through which each resource is read or
// written. The statistics are read through functions, not a table, so they
// have none to check.
var resourceTables = map[exithub.Resource][]string{
	exithub.ResOrganisation:   {"hub.organisations"},
	exithub.ResCitizen:        {"hub.citizens"},
	exithub.ResConsent:        {"hub.consents"},
	exithub.ResReferral:       {"hub.referrals"},
	exithub.ResCourse:         {"hub.courses"},
	exithub.ResCooperation:    {"hub.cooperation_agreements"},
	exithub.ResCrossMunicipal: {"hub.crossmunicipal_agreements"},
	exithub.ResProgramme:      {"hub.programmes"},
	exithub.ResGrant:          {"hub.grants"},
	exithub.ResDisbursement:   {"hub.disbursements"},
	exithub.ResAudit:          {"hub.audit_log"},
}

// CheckEntitlements refuses a policy that lets a kind of organisation act
// on a resource whose tables its database role holds no privilege on: the
// policy would promise what row-level security and the grants, the second
// line, take away, and every such request would fail. serve checks the
// policy it loads once, at start.
func (d *DB) CheckEntitlements(ctx context.Context, ents []exithub.Entitlement) error {
	type pair struct {
		kind exithub.OrganisationKind
		res  exithub.Resource
	}
	checked := map[pair]bool{}
	for _, e := range ents {
		p := pair{e.Kind, e.Resource}
		tables := resourceTables[e.Resource]
		// Aggregates are served by the owner's functions, never by the
		// caller's reading a table.
		if checked[p] || len(tables) == 0 || e.Scope == exithub.ScopeAggregate {
			continue
		}
		role, ok := dbRoles[e.Kind]
		if !ok {
			return fmt.Errorf("policy: %s@%s: kind %s has no database role", e.Role, e.Kind, e.Kind)
		}
		var held bool
		err := d.pool.QueryRow(ctx, `SELECT coalesce(bool_or(has_table_privilege($1, to_regclass(t), 'SELECT, INSERT, UPDATE, DELETE')), false)
 FROM unnest($2::text[]) t WHERE to_regclass(t) IS NOT NULL`, role, tables).Scan(&held)
		if err != nil {
			return fmt.Errorf("policy: checking %s's privileges: %w", role, err)
		}
		if !held {
			return fmt.Errorf("policy: %s@%s may %s %s, but the database role %s has no privilege on %v",
				e.Role, e.Kind, e.Action, e.Resource, role, tables)
		}
		checked[p] = true
	}
	return nil
}

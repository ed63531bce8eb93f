package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"exithub"
)

// Directives returns the implementations of the schema's directives, which
// ask the policy before a resolver runs; refused reports each refusal (to
// the audit trail).
func Directives(authz exithub.Authorizer, refused func(context.Context, *exithub.Principal, string)) DirectiveRoot {
	return DirectiveRoot{
		Allow: func(ctx context.Context, _ any, next graphql.Resolver, resource, action string) (any, error) {
			if err := allowed(ctx, authz, exithub.Resource(resource), exithub.Action(action)); err != nil {
				refused(ctx, exithub.PrincipalFromContext(ctx), exithub.ErrorCode(err))
				return nil, err
			}
			return next(ctx)
		},
		Personal: func(ctx context.Context, _ any, next graphql.Resolver, resource string) (any, error) {
			v, err := personal(ctx, authz, exithub.Resource(resource), next)
			if exithub.ErrorCode(err) == exithub.EFORBIDDEN {
				refused(ctx, exithub.PrincipalFromContext(ctx), exithub.EFORBIDDEN)
			}
			return v, err
		},
	}
}

func allowed(ctx context.Context, authz exithub.Authorizer, res exithub.Resource, act exithub.Action) error {
	p, err := exithub.RequirePrincipal(ctx)
	if err != nil {
		return err
	}
	if !authz.Scope(p, res, act).Allowed() {
		return exithub.Forbidden(p.Role, act, res)
	}
	return nil
}

// personal guards every field that returns a type describing a person: a
// principal that may read such a resource only as aggregates, or not at all,
// gets FORBIDDEN whatever path led there (node, a nested field, an event).
func personal(ctx context.Context, authz exithub.Authorizer, res exithub.Resource, next graphql.Resolver) (any, error) {
	p, err := exithub.RequirePrincipal(ctx)
	if err != nil {
		return nil, err
	}
	switch authz.Scope(p, res, exithub.ActRead) {
	case exithub.ScopeNone, "":
		return nil, exithub.Forbidden(p.Role, exithub.ActRead, res)
	case exithub.ScopeAggregate:
		return nil, exithub.ForbiddenUnlessAggregate(p.Role, res)
	}
	return next(ctx)
}

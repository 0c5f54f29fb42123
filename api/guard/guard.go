// Package guard holds the API's gin middlewares for authentication, roles,
// rate limits, body limits and CORS. It does not render errors itself: every
// middleware takes an OnError callback (the API's problem writer) and hands
// it a graph.Error whose Code says the status.
package guard

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
)

// OnError renders err (a *graph.Error) as the response and aborts.
type OnError func(c *gin.Context, err error)

// fail aborts the chain and renders err; the Abort also covers an OnError
// that forgets to.
func fail(c *gin.Context, onErr OnError, err error) {
	c.Abort()
	onErr(c, err)
}

// Auth authenticates "Authorization: Bearer <key>" with store and puts the
// principal in the request context (graph.WithPrincipal). A missing,
// malformed, unknown or revoked key is CodeUnauthorized, with a
// WWW-Authenticate: Bearer challenge; store failures (Neo4j down) pass
// through with their own code.
func Auth(store graph.KeyStore, onErr OnError) gin.HandlerFunc {
	return func(c *gin.Context) {
		scheme, key, ok := strings.Cut(strings.TrimSpace(c.GetHeader("Authorization")), " ")
		key = strings.TrimSpace(key)
		if !ok || !strings.EqualFold(scheme, "Bearer") || key == "" {
			c.Header("WWW-Authenticate", `Bearer realm="scamgraph"`)
			fail(c, onErr, graph.Errorf(graph.CodeUnauthorized, "", "send an API key: Authorization: Bearer sg_…"))
			return
		}
		p, err := store.Authenticate(c.Request.Context(), key)
		if err != nil {
			if graph.ErrorCode(err) == graph.CodeUnauthorized {
				c.Header("WWW-Authenticate", `Bearer realm="scamgraph", error="invalid_token"`)
			}
			fail(c, onErr, err)
			return
		}
		c.Request = c.Request.WithContext(graph.WithPrincipal(c.Request.Context(), p))
		c.Next()
	}
}

// Require lets the request through only when its principal's role allows
// need (see graph.Role.Allows): CodeUnauthorized without a principal (Auth
// did not run), CodeForbidden with a role that does not allow it.
func Require(need graph.Role, onErr OnError) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := graph.PrincipalFrom(c.Request.Context())
		if !ok {
			c.Header("WWW-Authenticate", `Bearer realm="scamgraph"`)
			fail(c, onErr, graph.Errorf(graph.CodeUnauthorized, "", "send an API key: Authorization: Bearer sg_…"))
			return
		}
		if !p.Role.Allows(need) {
			fail(c, onErr, graph.Errorf(graph.CodeForbidden, "", "this needs the %s role; the key %q has role %s", need, p.Name, p.Role))
			return
		}
		c.Next()
	}
}

package guard

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
)

// corsMaxAge is how long browsers may cache a preflight answer (seconds).
const corsMaxAge = "600"

// CORS answers cross-origin requests from the exact origins listed
// ("https://desk.example.org"; no wildcards, no credentials: the API key
// travels in the Authorization header). Other origins get no CORS headers,
// so browsers keep their pages from reading answers; preflights from them
// are refused with 403 (through onErr, as every refusal). A preflight from an allowed origin is answered 204
// here and goes no further.
func CORS(allowedOrigins []string, onErr OnError) gin.HandlerFunc {
	allowed := make(map[string]bool, len(allowedOrigins))
	for _, o := range allowedOrigins {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			allowed[o] = true
		}
	}
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if origin == "" {
			c.Next()
			return
		}
		c.Writer.Header().Add("Vary", "Origin")
		preflight := c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != ""
		if !allowed[origin] {
			if preflight {
				fail(c, onErr, graph.Errorf(graph.CodeForbidden, "Origin", "%q is not an origin allowed to call this API", origin))
				return
			}
			c.Next()
			return
		}
		h := c.Writer.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "Retry-After, Content-Disposition")
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			h.Set("Access-Control-Max-Age", corsMaxAge)
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		c.Next()
	}
}

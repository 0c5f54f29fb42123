package guard

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
)

// maxBuckets bounds the rate limiter's memory: past it, buckets idle long
// enough to be full again are dropped.
const maxBuckets = 100_000

type bucket struct {
	tokens float64
	last   time.Time
}

// limiter is a token bucket per key: rate tokens a second, burst at most.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
}

// take spends a token for key, or says how long until one is there.
func (l *limiter) take(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// evict drops buckets that have refilled completely (they hold no state a
// fresh bucket would not), and if that frees nothing, all of them.
func (l *limiter) evict(now time.Time) {
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		l.buckets = map[string]*bucket{}
	}
}

// RateLimit allows each API key perKeyRPS requests a second on average,
// with bursts of burst; requests without a principal (before Auth, or on
// open routes) are counted per client IP (gin's ClientIP: set the engine's
// trusted proxies, or X-Forwarded-For is believed). Over the limit it is
// CodeRateLimited, with Retry-After in whole seconds.
func RateLimit(perKeyRPS float64, burst int, onErr OnError) gin.HandlerFunc {
	return rateLimit(perKeyRPS, burst, onErr, time.Now)
}

func rateLimit(rps float64, burst int, onErr OnError, now func() time.Time) gin.HandlerFunc {
	if rps <= 0 {
		rps = 1
	}
	if burst < 1 {
		burst = 1
	}
	l := &limiter{rate: rps, burst: float64(burst), buckets: map[string]*bucket{}, now: now}
	return func(c *gin.Context) {
		scope, key := "ip", "ip:"+c.ClientIP()
		if p, ok := graph.PrincipalFrom(c.Request.Context()); ok {
			scope, key = "key", "key:"+p.KeyID
		}
		ok, wait := l.take(key)
		if !ok {
			observerFrom(c.Request.Context()).RateLimited(scope)
			secs := int(math.Ceil(wait.Seconds()))
			if secs < 1 {
				secs = 1
			}
			c.Header("Retry-After", strconv.Itoa(secs))
			fail(c, onErr, graph.Errorf(graph.CodeRateLimited, "", "too many requests; retry in %d s", secs))
			return
		}
		c.Next()
	}
}

// BodyLimit refuses request bodies over max bytes with CodeTooLarge: at
// once when Content-Length says so, and otherwise when a handler reads past
// max (the read fails with *http.MaxBytesError; handlers should map it with
// IsTooLarge).
func BodyLimit(max int64, onErr OnError) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > max {
			fail(c, onErr, tooLarge(max))
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
		}
		c.Next()
	}
}

func tooLarge(max int64) error {
	return graph.Errorf(graph.CodeTooLarge, "", "the request body is over the limit of %d bytes", max)
}

// TooLarge converts a body read error caused by BodyLimit into a
// CodeTooLarge error, and returns other errors unchanged.
func TooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &graph.Error{Code: graph.CodeTooLarge, Message: "the request body is over the limit of " + strconv.FormatInt(mbe.Limit, 10) + " bytes", Err: err}
	}
	return err
}

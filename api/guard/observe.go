package guard

import "context"

// Observer is told of the guards' decisions, for metrics (internal/metrics
// implements it). Its methods are called on the request path: they must be
// cheap and safe for concurrent use.
type Observer interface {
	// RateLimited: a request was refused with 429; scope is "ip" (the
	// per-IP bucket, before authentication) or "key" (the per-key bucket).
	RateLimited(scope string)
	// KeyCacheLookup: Authenticate was answered from the key cache (hit)
	// or had to ask the key store (miss).
	KeyCacheLookup(hit bool)
}

type observerKey struct{}

// WithObserver returns ctx carrying o: the guards that see the request's
// context report to it. A middleware outside the guards sets it, so the
// guards need no wiring of their own (as net/http/httptrace does for a
// client's events).
func WithObserver(ctx context.Context, o Observer) context.Context {
	return context.WithValue(ctx, observerKey{}, o)
}

// observerFrom returns the request's observer, or one that ignores
// everything.
func observerFrom(ctx context.Context) Observer {
	if o, ok := ctx.Value(observerKey{}).(Observer); ok && o != nil {
		return o
	}
	return noObserver{}
}

type noObserver struct{}

func (noObserver) RateLimited(string)  {}
func (noObserver) KeyCacheLookup(bool) {}

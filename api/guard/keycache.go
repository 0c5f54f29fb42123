package guard

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// DefaultKeyCacheTTL is how long a successful key check is remembered. A
// key revoked through this process stops working at once; one revoked
// elsewhere (another replica, the CLI) within this long.
const DefaultKeyCacheTTL = 15 * time.Second

// maxCachedKeys bounds the cache; past it, the cache is emptied.
const maxCachedKeys = 10000

// KeyCache remembers successful authentications for a short while, so that
// a request does not cost a round trip to Neo4j for its key. It stores
// SHA-256 digests of keys, never keys; failures are never cached.
type KeyCache struct {
	graph.KeyStore
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[[sha256.Size]byte]cachedPrincipal
}

type cachedPrincipal struct {
	p       graph.Principal
	expires time.Time
}

// CacheKeys wraps store with a KeyCache.
func CacheKeys(store graph.KeyStore, ttl time.Duration) *KeyCache {
	return &KeyCache{KeyStore: store, ttl: ttl, now: time.Now, entries: map[[sha256.Size]byte]cachedPrincipal{}}
}

// Authenticate answers from the cache when it can.
func (k *KeyCache) Authenticate(ctx context.Context, plaintext string) (graph.Principal, error) {
	d := sha256.Sum256([]byte(plaintext))
	now := k.now()
	k.mu.Lock()
	e, ok := k.entries[d]
	k.mu.Unlock()
	hit := ok && now.Before(e.expires)
	observerFrom(ctx).KeyCacheLookup(hit)
	if hit {
		return e.p, nil
	}
	p, err := k.KeyStore.Authenticate(ctx, plaintext)
	if err != nil {
		return p, err
	}
	k.mu.Lock()
	if len(k.entries) >= maxCachedKeys {
		k.entries = map[[sha256.Size]byte]cachedPrincipal{}
	}
	k.entries[d] = cachedPrincipal{p: p, expires: now.Add(k.ttl)}
	k.mu.Unlock()
	return p, nil
}

// RevokeKey revokes the key and forgets every cached check of it.
func (k *KeyCache) RevokeKey(ctx context.Context, id string) error {
	if err := k.KeyStore.RevokeKey(ctx, id); err != nil {
		return err
	}
	k.mu.Lock()
	for d, e := range k.entries {
		if e.p.KeyID == id {
			delete(k.entries, d)
		}
	}
	k.mu.Unlock()
	return nil
}

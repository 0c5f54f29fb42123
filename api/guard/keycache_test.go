package guard_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api/guard"
	"github.com/scamgraph/scamgraph/graph"
)

// countingKeys counts the lookups that reach the store.
type countingKeys struct {
	*memKeys
	lookups atomic.Int64
}

func (c *countingKeys) Authenticate(ctx context.Context, plain string) (graph.Principal, error) {
	c.lookups.Add(1)
	return c.memKeys.Authenticate(ctx, plain)
}

func TestKeyCache(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		ttl         time.Duration
		run         func(t *testing.T, cache *guard.KeyCache, key, id string)
		wantLookups int64
	}{
		{"repeat checks within the TTL reach the store once", time.Minute, func(t *testing.T, cache *guard.KeyCache, key, _ string) {
			for i := 0; i < 5; i++ {
				if _, err := cache.Authenticate(ctx, key); err != nil {
					t.Fatal(err)
				}
			}
		}, 1},
		{"an expired check asks the store again", time.Millisecond, func(t *testing.T, cache *guard.KeyCache, key, _ string) {
			for i := 0; i < 2; i++ {
				if _, err := cache.Authenticate(ctx, key); err != nil {
					t.Fatal(err)
				}
				time.Sleep(5 * time.Millisecond)
			}
		}, 2},
		{"failures are not cached", time.Minute, func(t *testing.T, cache *guard.KeyCache, _, _ string) {
			for i := 0; i < 3; i++ {
				if _, err := cache.Authenticate(ctx, "sg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); graph.ErrorCode(err) != graph.CodeUnauthorized {
					t.Fatalf("err = %v, want unauthorized", err)
				}
			}
		}, 3},
		{"a revoked key is refused at once", time.Minute, func(t *testing.T, cache *guard.KeyCache, key, id string) {
			if _, err := cache.Authenticate(ctx, key); err != nil {
				t.Fatal(err)
			}
			if err := cache.RevokeKey(ctx, id); err != nil {
				t.Fatal(err)
			}
			if _, err := cache.Authenticate(ctx, key); graph.ErrorCode(err) != graph.CodeUnauthorized {
				t.Fatalf("revoked key: err = %v, want unauthorized", err)
			}
		}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := &countingKeys{memKeys: &memKeys{}}
			key, k, err := store.CreateKey(ctx, "analyst-1", graph.RoleAnalyst)
			if err != nil {
				t.Fatal(err)
			}
			cache := guard.CacheKeys(store, tc.ttl)
			tc.run(t, cache, key, k.ID)
			if got := store.lookups.Load(); got != tc.wantLookups {
				t.Errorf("store lookups = %d, want %d", got, tc.wantLookups)
			}
		})
	}
}

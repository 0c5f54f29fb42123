// Package guardtest holds test doubles of the guards' interfaces for unit
// tests that run without a database. Integration tests use the real
// graph/neo4jdb key store.
package guardtest

import (
	"context"
	"sync"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// MemKeys is an in-memory graph.KeyStore, keyed by hash like the real one.
type MemKeys struct {
	mu   sync.Mutex
	keys map[string]graph.APIKey // by hash
}

var _ graph.KeyStore = (*MemKeys)(nil)

// CreateKey makes a key; the plaintext is returned once.
func (m *MemKeys) CreateKey(_ context.Context, name string, role graph.Role) (string, graph.APIKey, error) {
	plain, hash, prefix, id, err := graph.NewKey()
	if err != nil {
		return "", graph.APIKey{}, err
	}
	k := graph.APIKey{ID: id, Name: name, Role: role, Prefix: prefix, CreatedAt: time.Now()}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = map[string]graph.APIKey{}
	}
	m.keys[hash] = k
	return plain, k, nil
}

// ListKeys lists the keys.
func (m *MemKeys) ListKeys(context.Context) ([]graph.APIKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]graph.APIKey, 0, len(m.keys))
	for _, k := range m.keys {
		out = append(out, k)
	}
	return out, nil
}

// RevokeKey revokes the key with that id.
func (m *MemKeys) RevokeKey(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for h, k := range m.keys {
		if k.ID == id {
			now := time.Now()
			k.RevokedAt = &now
			m.keys[h] = k
			return nil
		}
	}
	return graph.Errorf(graph.CodeNotFound, "id", "no key %q", id)
}

// Authenticate checks a plaintext key.
func (m *MemKeys) Authenticate(_ context.Context, plain string) (graph.Principal, error) {
	if err := graph.CheckKeyFormat(plain); err != nil {
		return graph.Principal{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[graph.HashKey(plain)]
	if !ok || k.Revoked() {
		return graph.Principal{}, graph.ErrUnknownKey()
	}
	return graph.Principal{KeyID: k.ID, Name: k.Name, Role: k.Role}, nil
}

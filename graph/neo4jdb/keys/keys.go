package keys

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

// keyTouchEvery is how stale a key's last_used_at may get before
// Authenticate writes it again: at most one write per key per interval.
const keyTouchEvery = time.Minute

var _ graph.KeyStore = (*KeyStore)(nil)

// keyWrite runs one write query, routed to the leader.
func (db *KeyStore) keyWrite(ctx context.Context, cypher string, params map[string]any) (_ *neo4j.EagerResult, err error) {
	defer db.Observe(cypher, time.Now(), &err)
	res, err := neo4j.ExecuteQuery(ctx, db.Driver(), cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.Database()), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		return nil, db.ClassifyReq(ctx, err)
	}
	return res, nil
}

// CreateKey makes a key for name with role and stores its hash.
func (db *KeyStore) CreateKey(ctx context.Context, name string, role graph.Role) (string, graph.APIKey, error) {
	name = strings.TrimSpace(name)
	if err := graph.ValidateKeyName(name); err != nil {
		return "", graph.APIKey{}, fmt.Errorf("create key: %w", err)
	}
	if !role.Valid() {
		return "", graph.APIKey{}, fmt.Errorf("create key: %w",
			graph.Errorf(graph.CodeInvalid, "role", "unknown role %q (want one of %s)", role, graph.RoleList()))
	}
	plaintext, hash, prefix, id, err := graph.NewKey()
	if err != nil {
		return "", graph.APIKey{}, fmt.Errorf("create key: %w", err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	res, err := db.keyWrite(ctx, queries.Get("key-create"), map[string]any{
		"id": id, "name": name, "role": string(role), "hash": hash, "prefix": prefix, "created_at": now,
	})
	if err != nil {
		return "", graph.APIKey{}, fmt.Errorf("create key: %w", err)
	}
	if len(res.Records) != 1 {
		return "", graph.APIKey{}, fmt.Errorf("create key: %w", graph.Errorf(graph.CodeInternal, "", "stored %d keys, want 1", len(res.Records)))
	}
	key, err := keyFromRecord(res.Records[0])
	if err != nil {
		return "", graph.APIKey{}, fmt.Errorf("create key: %w", err)
	}
	return plaintext, key, nil
}

// ListKeys returns every key, oldest first.
func (db *KeyStore) ListKeys(ctx context.Context) ([]graph.APIKey, error) {
	res, err := db.Read(ctx, queries.Get("key-list"), nil)
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	out := make([]graph.APIKey, 0, len(res.Records))
	for _, rec := range res.Records {
		k, err := keyFromRecord(rec)
		if err != nil {
			return nil, fmt.Errorf("list keys: %w", err)
		}
		out = append(out, k)
	}
	return out, nil
}

// RevokeKey revokes the key with id; revoking twice keeps the first time.
func (db *KeyStore) RevokeKey(ctx context.Context, id string) error {
	if err := graph.ValidateKeyID(id); err != nil {
		return fmt.Errorf("revoke key: %w", err)
	}
	res, err := db.keyWrite(ctx, queries.Get("key-revoke"), map[string]any{"id": id, "now": time.Now().UTC().Truncate(time.Millisecond)})
	if err != nil {
		return fmt.Errorf("revoke key %s: %w", id, err)
	}
	if len(res.Records) == 0 {
		return fmt.Errorf("revoke key: %w", graph.Errorf(graph.CodeNotFound, "id", "no key has id %q", id))
	}
	return nil
}

// Authenticate finds the key by the hash of plaintext. Unknown, revoked
// and malformed keys are all CodeUnauthorized, with one message.
func (db *KeyStore) Authenticate(ctx context.Context, plaintext string) (graph.Principal, error) {
	if err := graph.CheckKeyFormat(plaintext); err != nil {
		return graph.Principal{}, err
	}
	hash := graph.HashKey(plaintext)
	res, err := db.Read(ctx, queries.Get("key-authenticate"), map[string]any{"hash": hash})
	if err != nil {
		return graph.Principal{}, fmt.Errorf("authenticate: %w", err)
	}
	if len(res.Records) != 1 {
		return graph.Principal{}, graph.ErrUnknownKey()
	}
	n, _, err := neo4j.GetRecordValue[neo4j.Node](res.Records[0], "k")
	if err != nil {
		return graph.Principal{}, fmt.Errorf("authenticate: %w", err)
	}
	stored, _, err := core.OptionalProp[string](n, "hash")
	if err != nil {
		return graph.Principal{}, fmt.Errorf("authenticate: %w", err)
	}
	// The lookup was by hash already; compare again in constant time so
	// that nothing downstream of the index depends on how much matched.
	if subtle.ConstantTimeCompare([]byte(stored), []byte(hash)) != 1 {
		return graph.Principal{}, graph.ErrUnknownKey()
	}
	key, err := keyFromNode(n)
	if err != nil {
		return graph.Principal{}, fmt.Errorf("authenticate: %w", err)
	}
	if key.Revoked() || !key.Role.Valid() {
		return graph.Principal{}, graph.ErrUnknownKey()
	}
	now := time.Now().UTC()
	if key.LastUsedAt == nil || now.Sub(*key.LastUsedAt) > keyTouchEvery {
		// Best effort: a failed bookkeeping write must not refuse a valid key.
		_, _ = db.keyWrite(ctx, queries.Get("key-touch"), map[string]any{
			"id": key.ID, "now": now.Truncate(time.Millisecond), "before": now.Add(-keyTouchEvery),
		})
	}
	return graph.Principal{KeyID: key.ID, Name: key.Name, Role: key.Role}, nil
}

// DeleteKeysByNamePrefix deletes the keys whose name starts with prefix
// (at least 3 characters). Tests use it to remove the keys they made.
func (db *KeyStore) DeleteKeysByNamePrefix(ctx context.Context, prefix string) (int, error) {
	if len(prefix) < 3 {
		return 0, graph.Errorf(graph.CodeInvalid, "prefix", "must be at least 3 characters")
	}
	res, err := db.keyWrite(ctx, queries.Get("key-delete-name-prefix"), map[string]any{"prefix": prefix})
	if err != nil {
		return 0, fmt.Errorf("delete keys %q: %w", prefix, err)
	}
	if len(res.Records) != 1 {
		return 0, fmt.Errorf("delete keys %q: no count returned", prefix)
	}
	n, _, err := neo4j.GetRecordValue[int64](res.Records[0], "deleted")
	if err != nil {
		return 0, fmt.Errorf("delete keys %q: %w", prefix, err)
	}
	return int(n), nil
}

func keyFromRecord(rec *neo4j.Record) (graph.APIKey, error) {
	n, _, err := neo4j.GetRecordValue[neo4j.Node](rec, "k")
	if err != nil {
		return graph.APIKey{}, err
	}
	return keyFromNode(n)
}

// keyFromNode converts a stored :ApiKey node; the hash is not part of it.
func keyFromNode(n neo4j.Node) (graph.APIKey, error) {
	var k graph.APIKey
	r := &core.PropReader{E: n}
	str := r.Str
	k.ID = str("id")
	k.Name = str("name")
	k.Role = graph.Role(str("role"))
	k.Prefix = str("prefix")
	if created := r.Time("created_at"); created != nil {
		k.CreatedAt = *created
	}
	k.RevokedAt = r.Time("revoked_at")
	k.LastUsedAt = r.Time("last_used_at")
	if r.Err != nil {
		return k, fmt.Errorf("api key %s: %w", k.ID, r.Err)
	}
	return k, nil
}

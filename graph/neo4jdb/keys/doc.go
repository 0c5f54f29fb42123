// Package keys is the API key store, on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package keys

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

type conn = core.DB

// KeyStore is this part of the store, over the process's one driver.
type KeyStore struct{ *conn }

// New is the KeyStore over db.
func New(db *core.DB) *KeyStore { return &KeyStore{db} }

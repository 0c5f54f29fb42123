// Package neo4jdb implements scamgraph's graph interfaces on Neo4j. With its
// subpackages it is the only code that imports the Neo4j driver: driver
// types and untyped maps are converted to graph types by named converters
// (core) and never leave.
//
// The store is split by service, one package each over the shared core:
//
//	core         the driver, error classification and recovery, converters, as_of
//	read         graph.Reader: search, entities, neighbours, paths, statistics
//	investigate  graph.Investigator: the named investigation queries
//	imports      graph.Writer: batched, idempotent imports and import runs
//	keys         the API key store
//	cypher       the guarded read-only Cypher endpoint (text guard: graph/cypherguard)
//	merges       merges, undo and judgements
//	exports      the streaming reads behind the exports
//	admin        deletion by id prefix, the benchmark command's helpers
//	matching     match candidates, duplicate proposals, the names triage reads
//	analytics    key players, brokers, communities, similar entities (GDS)
//
// DB composes them into the one store the service wires.
package neo4jdb

import (
	"context"
	"time"

	"github.com/scamgraph/scamgraph/graph/neo4jdb/admin"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/analytics"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/cypher"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/exports"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/imports"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/investigate"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/keys"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/matching"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/merges"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/read"
)

// Config says how to reach Neo4j.
type Config = core.Config

// QueryObserver is told of every named query the request path runs (see
// core.QueryObserver).
type QueryObserver = core.QueryObserver

// OtherQuery is the name reported for a statement that is not one of
// queries/*.cypher.
const OtherQuery = core.OtherQuery

// QueryName is the name a queries/*.cypher text declares on its first line,
// or OtherQuery.
func QueryName(cypher string) string { return core.QueryName(cypher) }

// DB is the store: one Neo4j driver for the process, with the database it
// names, and every part of the store over it. The parts' methods are DB's;
// the core's are not (they speak driver types).
type DB struct {
	c *core.DB
	*read.Reader
	*investigate.Investigator
	*imports.Importer
	*keys.KeyStore
	*cypher.Runner
	*merges.Merger
	*exports.Exporter
	*admin.Admin
	*matching.Matcher
	*analytics.Analyst
}

// Open creates the driver. It does not contact the server: call Ping or
// WaitReady for that.
func Open(cfg Config) (*DB, error) {
	c, err := core.Open(cfg)
	if err != nil {
		return nil, err
	}
	reader := read.New(c)
	return &DB{
		c:            c,
		Reader:       reader,
		Matcher:      matching.New(c, reader),
		Analyst:      analytics.New(c, reader),
		Investigator: investigate.New(c),
		Importer:     imports.New(c),
		KeyStore:     keys.New(c),
		Runner:       cypher.New(c),
		Merger:       merges.New(c),
		Exporter:     exports.New(c),
		Admin:        admin.New(c),
	}, nil
}

// Close closes the driver and its connections.
func (db *DB) Close(ctx context.Context) error { return db.c.Close(ctx) }

// Database is the database name queries run against.
func (db *DB) Database() string { return db.c.Database() }

// Ping runs a trivial read on the database, routed to a reader.
func (db *DB) Ping(ctx context.Context) error { return db.c.Ping(ctx) }

// WaitReady pings every interval until Neo4j answers or ctx ends.
func (db *DB) WaitReady(ctx context.Context, every time.Duration) error {
	return db.c.WaitReady(ctx, every)
}

// ApplySchema runs the ordered, idempotent schema files of queries/schema.
func (db *DB) ApplySchema(ctx context.Context) error { return db.c.ApplySchema(ctx) }

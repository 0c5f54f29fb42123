package neo4jtest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
)

// Fixture is a small investigation graph for tests of the read API, every
// id under one prefix (see Prefix). LoadFixture writes a fresh one; Write
// writes one under a prefix of the caller's.
//
// Shape: Chen Zhi OWNS Prince Holding Group, which OPERATES the Golden Fortune
// compound (LOCATED_IN Sihanoukville, LOCATED_IN Cambodia). Chen Zhi is the
// SUBJECT_OF an arrest on 2026-01-07; Ly Kuong is his ASSOCIATE_OF; Sar Sokha
// PROTECTS the compound; an Indonesian victim cohort is HELD_AT it since
// 2025-06-01. Source A is published 2016-03-01, source B 2026-01-19. Hub, a
// location, has HubSize companies LOCATED_IN it.
type Fixture struct {
	Prefix        string
	Entities      []graph.Entity
	Relationships []graph.Relationship
}

// HubSize is the number of companies located in the fixture's hub.
const HubSize = 250

// ID returns the fixture id for a short name ("chen", "prince", ...).
func (f Fixture) ID(short string) string { return f.Prefix + short }

// NewFixture builds the fixture under prefix.
func NewFixture(prefix string) Fixture {
	f := Fixture{Prefix: prefix}
	id := f.ID
	date := func(s string) *graph.Date {
		d, err := graph.ParseDate(s)
		if err != nil {
			panic(err)
		}
		return &d
	}
	srcA, srcB := id("source-a"), id("source-b")
	ent := func(short string, kinds []graph.Kind, name string, sources []string, props map[string]graph.Value, aliases ...string) {
		if props == nil {
			props = map[string]graph.Value{}
		}
		f.Entities = append(f.Entities, graph.Entity{ID: id(short), Kinds: kinds, Name: name,
			Aliases: aliases, Sources: sources, Properties: props})
	}
	src := func(short, name, published string) {
		ent(short, []graph.Kind{graph.KindSource}, name, nil, map[string]graph.Value{
			"publisher": graph.StringValue("Test Wire"), "published": graph.DateValue(*date(published)),
			"source_type": graph.StringValue("news"),
		})
	}
	src("source-a", "Report A", "2016-03-01")
	src("source-b", "Report B", "2026-01-19")
	A, B, AB := []string{srcA}, []string{srcB}, []string{srcA, srcB}
	loc := func(t string) map[string]graph.Value {
		return map[string]graph.Value{"location_type": graph.StringValue(t)}
	}
	ent("chen", []graph.Kind{graph.KindTycoon, graph.KindOfficial}, "Chen Zhi", B, nil, "Vincent Chen")
	ent("ly", []graph.Kind{graph.KindTycoon}, "Ly Kuong", B, nil)
	ent("prince", []graph.Kind{graph.KindCompany}, "Prince Holding Group", A, nil)
	ent("compound", []graph.Kind{graph.KindCompound}, "Golden Fortune Compound", A, nil)
	ent("sihanoukville", []graph.Kind{graph.KindLocation}, "Sihanoukville", A, loc("city"))
	ent("cambodia", []graph.Kind{graph.KindLocation}, "Cambodia", AB, loc("country"))
	ent("arrest", []graph.Kind{graph.KindEvent}, "Arrest of Chen Zhi", B, map[string]graph.Value{
		"event_type": graph.StringValue("arrest"), "date": graph.DateValue(*date("2026-01-07")),
	})
	ent("victims", []graph.Kind{graph.KindVictim}, "Indonesian workers", B, map[string]graph.Value{
		"nationality": graph.StringValue("ID"), "cohort": graph.BoolValue(true), "count": graph.IntValue(400),
	})
	ent("sokha", []graph.Kind{graph.KindOfficial}, "Sar Sokha", A, nil)
	ent("tran", []graph.Kind{graph.KindPerson}, "Trần Thị Hà", A, nil)
	ent("hub", []graph.Kind{graph.KindLocation}, "Hubland", A, loc("country"))
	for i := 0; i < HubSize; i++ {
		ent(fmt.Sprintf("hubco-%03d", i), []graph.Kind{graph.KindCompany}, fmt.Sprintf("Hub Company %03d", i), A, nil)
	}

	rel := func(from string, t graph.RelType, to string, ev graph.Evidence, since, until *graph.Date, sources []string) {
		f.Relationships = append(f.Relationships, graph.Relationship{
			ID: graph.RelationshipID(id(from), t, id(to), ""), Type: t, From: id(from), To: id(to),
			Evidence: ev, Since: since, Until: until, Sources: sources, Properties: map[string]graph.Value{},
		})
	}
	rel("chen", graph.RelOwns, "prince", graph.EvidenceDesignation, date("2015-01-01"), nil, B)
	rel("prince", graph.RelOperates, "compound", graph.EvidenceMediaReport, date("2018-01-01"), nil, A)
	rel("compound", graph.RelLocatedIn, "sihanoukville", graph.EvidenceMediaReport, nil, nil, A)
	rel("sihanoukville", graph.RelLocatedIn, "cambodia", graph.EvidenceMediaReport, nil, nil, A)
	rel("chen", graph.RelSubjectOf, "arrest", graph.EvidenceCharge, nil, nil, B)
	rel("ly", graph.RelAssociateOf, "chen", graph.EvidenceAllegation, nil, nil, B)
	rel("sokha", graph.RelProtects, "compound", graph.EvidenceAllegation, nil, date("2023-12-31"), A)
	rel("victims", graph.RelHeldAt, "compound", graph.EvidenceMediaReport, date("2025-06-01"), nil, B)
	rel("tran", graph.RelFamilyOf, "sokha", graph.EvidenceMediaReport, nil, nil, A)
	for i := 0; i < HubSize; i++ {
		rel(fmt.Sprintf("hubco-%03d", i), graph.RelLocatedIn, "hub", graph.EvidenceMediaReport, nil, nil, A)
	}
	rel("prince", graph.RelLocatedIn, "hub", graph.EvidenceMediaReport, nil, nil, A)
	return f
}

// LoadFixture connects (Open), writes a fresh Fixture under a new Prefix
// and removes it when the test ends.
func LoadFixture(t testing.TB) (*neo4jdb.DB, Fixture) {
	t.Helper()
	db := Open(t)
	f := NewFixture(Prefix(t))
	Cleanup(t, db, f.Prefix)
	Write(t, db, f.Entities, f.Relationships)
	return db, f
}

// Write upserts a test's entities, sources first (so that MENTIONED_IN
// links can be made), then its relationships, in batches of 500. It does
// not clean up: pair it with Cleanup.
func Write(t testing.TB, db *neo4jdb.DB, ents []graph.Entity, rels []graph.Relationship) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	isSource := func(e graph.Entity) bool { return slices.Contains(e.Kinds, graph.KindSource) }
	var sources, rest []graph.Entity
	for _, e := range ents {
		if isSource(e) {
			sources = append(sources, e)
		} else {
			rest = append(rest, e)
		}
	}
	for _, batch := range [][]graph.Entity{sources, rest} {
		for c := range slices.Chunk(batch, 500) {
			if _, err := db.UpsertEntities(ctx, c, false); err != nil {
				t.Fatalf("write entities: %v", err)
			}
		}
	}
	for c := range slices.Chunk(rels, 500) {
		if _, err := db.UpsertRelationships(ctx, c, false); err != nil {
			t.Fatalf("write relationships: %v", err)
		}
	}
}

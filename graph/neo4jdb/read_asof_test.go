package neo4jdb_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// The as_of date changes the answers of search, entity detail and stats as
// it does those of neighbours and paths (the fixture: source A published
// 2016-03-01, source B 2026-01-19; Chen Zhi known only from B).

func TestSearchAsOf(t *testing.T) {
	db, f := neo4jtest.LoadFixture(t)
	ctx := context.Background()
	tests := []struct {
		name, text, asOf string
		want             []string // fixture hits, short ids
	}{
		{name: "now", text: "chen zhi", want: []string{"chen", "arrest"}},
		{name: "before the report on him", text: "chen zhi", asOf: "2025-01-01", want: []string{}},
		{name: "after the report on him", text: "chen zhi", asOf: "2026-02-01", want: []string{"chen", "arrest"}},
		{name: "a day before the arrest: neither", text: "chen zhi", asOf: "2026-01-06", want: []string{}},
		{name: "a fact with an early source stays", text: "cambodia", asOf: "2020-01-01", want: []string{"cambodia"}},
		{name: "before every report", text: "cambodia", asOf: "2010-01-01", want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := graph.SearchQuery{Text: tt.text, Limit: graph.MaxSearchLimit, Role: graph.RoleAdmin}
			if tt.asOf != "" {
				q.AsOf = date(t, tt.asOf)
			}
			page, err := db.Search(ctx, q)
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			got := []string{}
			for _, h := range page.Hits {
				if strings.HasPrefix(h.ID, f.Prefix) {
					got = append(got, strings.TrimPrefix(h.ID, f.Prefix))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("hits %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEntityAsOf(t *testing.T) {
	db, f := neo4jtest.LoadFixture(t)
	ctx := context.Background()
	tests := []struct {
		name, id, asOf string
		notFound       bool
		sources        []string       // short ids
		counts         map[string]int // type/direction: count (0: absent)
	}{
		{name: "not yet reported", id: "chen", asOf: "2025-01-01", notFound: true},
		{name: "reported", id: "chen", asOf: "2026-02-01", sources: []string{"source-b"}},
		{name: "now: both sources", id: "cambodia", sources: []string{"source-a", "source-b"}},
		{name: "the later source left out", id: "cambodia", asOf: "2020-01-01", sources: []string{"source-a"}},
		{name: "2017: protected, not yet operated", id: "compound", asOf: "2017-06-01", sources: []string{"source-a"},
			counts: map[string]int{"PROTECTS/in": 1, "OPERATES/in": 0, "HELD_AT/in": 0, "LOCATED_IN/out": 1}},
		{name: "2024: operated, protection ended", id: "compound", asOf: "2024-06-01", sources: []string{"source-a"},
			counts: map[string]int{"PROTECTS/in": 0, "OPERATES/in": 1, "HELD_AT/in": 0}},
		{name: "now: every relationship", id: "compound", sources: []string{"source-a"},
			counts: map[string]int{"PROTECTS/in": 1, "OPERATES/in": 1, "HELD_AT/in": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := graph.EntityQuery{ID: f.ID(tt.id)}
			if tt.asOf != "" {
				q.AsOf = date(t, tt.asOf)
			}
			d, err := db.Entity(ctx, q)
			if tt.notFound {
				if graph.ErrorCode(err) != graph.CodeNotFound {
					t.Fatalf("error %v, want not found", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Entity: %v", err)
			}
			var sources []string
			for _, s := range d.Sources {
				sources = append(sources, strings.TrimPrefix(s, f.Prefix))
			}
			slices.Sort(sources)
			if !slices.Equal(sources, tt.sources) {
				t.Errorf("sources %v, want %v", sources, tt.sources)
			}
			got := map[string]int{}
			for _, c := range d.RelationshipCounts {
				got[string(c.Type)+"/"+c.Direction] = c.Count
			}
			for k, v := range tt.counts {
				if got[k] != v {
					t.Errorf("count %s = %d, want %d (all %v)", k, got[k], v, got)
				}
			}
		})
	}
	t.Run("bad date", func(t *testing.T) {
		_, err := db.Entity(ctx, graph.EntityQuery{ID: f.ID("chen"), AsOf: &graph.Date{}})
		if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != "as_of" {
			t.Fatalf("error %v, want invalid as_of", err)
		}
	})
}

func TestStatsAsOf(t *testing.T) {
	db, _ := neo4jtest.LoadFixture(t)
	ctx := context.Background()
	at := func(s string) graph.Stats {
		t.Helper()
		q := graph.StatsQuery{}
		if s != "" {
			q.AsOf = date(t, s)
		}
		st, err := db.Stats(ctx, q)
		if err != nil {
			t.Fatalf("Stats as of %q: %v", s, err)
		}
		return st
	}
	now, y2017, y2023, y2024, y2025 := at(""), at("2017-06-01"), at("2023-06-01"), at("2024-06-01"), at("2025-01-01")
	tests := []struct {
		name        string
		early, late int
		atLeast     int // late - early
	}{
		// Chen Zhi, Ly Kuong, the arrest, the cohort and source B: known only from 2026-01-19.
		{name: "entities reported in 2026", early: y2025.Entities, late: now.Entities, atLeast: 5},
		{name: "the 2026 arrest event", early: y2025.ByKind["event"], late: now.ByKind["event"], atLeast: 1},
		{name: "operated from 2018", early: y2017.ByRelType["OPERATES"], late: y2024.ByRelType["OPERATES"], atLeast: 1},
		{name: "protection ended 2023-12-31", early: y2024.ByRelType["PROTECTS"], late: y2023.ByRelType["PROTECTS"], atLeast: 1},
		{name: "relationships reported in 2026", early: y2025.Relationships, late: now.Relationships, atLeast: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.late-tt.early < tt.atLeast {
				t.Fatalf("%d then, %d later: want at least %d more", tt.early, tt.late, tt.atLeast)
			}
		})
	}
	t.Run("every kind and type listed", func(t *testing.T) {
		if len(y2025.ByKind) != len(now.ByKind) || len(y2025.ByRelType) != len(now.ByRelType) {
			t.Fatalf("as of lists %d kinds, %d types; now %d, %d", len(y2025.ByKind), len(y2025.ByRelType), len(now.ByKind), len(now.ByRelType))
		}
		sum := 0
		for _, c := range y2025.ByRelType {
			sum += c
		}
		if sum != y2025.Relationships {
			t.Fatalf("relationships %d, sum by type %d", y2025.Relationships, sum)
		}
	})
}

// Package generate makes synthetic, realistic scam-network graphs at any
// scale, for load tests and benchmarks of the importer, the queries and the
// API. The output is a pure function of the seed and the size: ids are
// gen:<kind>:<n>, and the same Config always gives byte-identical files.
//
// The graph has the shape of the real one: a few super-nodes (countries,
// the hub provinces, ministries, a handful of landmark reports) with huge
// in-degree; power-law degrees elsewhere; ownership chains of 4 to 6
// companies (offshore shells in the middle) up to a tycoon; compounds
// operated by the chain's operating company or the tycoon; officials who
// hold office in ministries, protect compounds and advise governments;
// victim cohorts held at and released from compounds; events (raids,
// arrests, charges, sanctions, repatriations, ...) dated 2015-2026 with
// their subjects and the agencies that conducted them. Every entity and
// relationship cites one to three sources.
//
// Memory is bounded: every attribute of entity i is derived from its own
// random stream, so nothing is kept between records. Entities are written
// first (sources first), then relationships.
package generate

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Config says what to generate.
type Config struct {
	Entities      int     // entities in all, sources included (at least MinEntities)
	Seed          int64   // the same seed and size give the same output
	RelsPerEntity float64 // relationships per entity, MENTIONED_IN not counted; 0 means 3

	// Progress, when set, is called now and then with the phase
	// ("entities" or "relationships"), the records written in that phase
	// and the number expected (approximate for relationships).
	Progress func(phase string, done, total int)
}

// Counts is what was generated.
type Counts struct {
	Entities      int `json:"entities"`
	Relationships int `json:"relationships"` // stated relationships, as in relationships.ndjson
	Mentions      int `json:"mentions"`      // MENTIONED_IN links the importer derives from entity sources
}

// Formats are the output formats WriteAll knows.
var Formats = []string{"ndjson", "loadcsv", "admin"}

// WriteNDJSON writes the entities (sources first) to entities and the
// relationships to rels, as import-format NDJSON lines.
func WriteNDJSON(cfg Config, entities, rels io.Writer) (Counts, error) {
	g, err := newGen(cfg)
	if err != nil {
		return Counts{}, err
	}
	return g.run(newNDJSONSink(entities, rels), cfg.Progress)
}

// WriteAll writes the chosen formats into subdirectories of dir:
//
//	ndjson/   entities.ndjson, relationships.ndjson (for scamgraph import)
//	loadcsv/  entities.csv, rels-<TYPE>.csv, load.cypher (a LOAD CSV baseline)
//	admin/    nodes.csv, relationships.csv, mentions.csv, README.txt
//	          (for neo4j-admin database import full)
func WriteAll(cfg Config, dir string, formats []string) (Counts, error) {
	g, err := newGen(cfg)
	if err != nil {
		return Counts{}, err
	}
	if len(formats) == 0 {
		return Counts{}, errors.New("formats: name at least one of " + strings.Join(Formats, ", "))
	}
	var sinks multiSink
	var files []io.Closer
	fail := func(err error) (Counts, error) {
		sinks.close()
		for _, f := range files {
			f.Close()
		}
		return Counts{}, err
	}
	seen := map[string]bool{}
	for _, f := range formats {
		if seen[f] {
			continue
		}
		seen[f] = true
		sub := filepath.Join(dir, f)
		switch f {
		case "ndjson", "loadcsv", "admin":
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return fail(err)
			}
		default:
			return fail(fmt.Errorf("formats: unknown format %q (want %s)", f, strings.Join(Formats, ", ")))
		}
		switch f {
		case "ndjson":
			ef, err := os.Create(filepath.Join(sub, "entities.ndjson"))
			if err != nil {
				return fail(err)
			}
			files = append(files, ef)
			rf, err := os.Create(filepath.Join(sub, "relationships.ndjson"))
			if err != nil {
				return fail(err)
			}
			files = append(files, rf)
			sinks = append(sinks, newNDJSONSink(ef, rf))
		case "loadcsv":
			s, err := newLoadCSVSink(sub)
			if err != nil {
				return fail(err)
			}
			sinks = append(sinks, s)
		case "admin":
			s, err := newAdminSink(sub)
			if err != nil {
				return fail(err)
			}
			sinks = append(sinks, s)
		}
	}
	counts, err := g.run(sinks, cfg.Progress)
	for _, f := range files {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return counts, err
}

const progressEvery = 1 << 16

// run generates everything into s and closes it.
func (g *gen) run(s sink, progress func(string, int, int)) (Counts, error) {
	var counts Counts
	total := 0
	for _, n := range g.n {
		total += n
	}
	var e entity
	for k := 0; k < nGroups; k++ {
		for i := 0; i < g.n[k]; i++ {
			g.entityAt(k, i, &e)
			if err := s.entity(&e); err != nil {
				s.close()
				return counts, err
			}
			counts.Entities++
			counts.Mentions += len(e.sources)
			if progress != nil && counts.Entities%progressEvery == 0 {
				progress("entities", counts.Entities, total)
			}
		}
	}
	if progress != nil {
		progress("entities", counts.Entities, total)
	}
	c := relCtx{g: g, out: s.rel}
	want := int(g.relTgt)
	next := progressEvery
	for k := 0; k < nGroups; k++ {
		for i := 0; i < g.n[k]; i++ {
			g.relsOf(k, i, &c)
			if c.err != nil {
				s.close()
				return counts, c.err
			}
			if progress != nil && c.count >= next {
				progress("relationships", c.count, want)
				next += progressEvery
			}
		}
	}
	counts.Relationships = c.count
	if progress != nil {
		progress("relationships", c.count, c.count)
	}
	return counts, s.close()
}

package matching

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

var _ graph.Matcher = (*Matcher)(nil)

// ---- matching: blocking through the full-text index, scoring in graph

// blockingQuery is the Lucene query that finds a record's candidates: any
// normalised word of any of its names (exact, boosted, or, when fuzzy, with
// one or two edits), so a candidate sharing more words ranks higher ("" when
// the record has no word). The whole-graph scan blocks without fuzzy terms
// (they cost about 8 times as much in the index): a pair is still found
// when one word of a name is the same after normalisation.
func blockingQuery(e graph.Entity, fuzzy bool) string {
	seen := map[string]bool{}
	var alts []string
	for _, n := range graph.MatchNames(e) {
		for _, w := range n.Words {
			if seen[w] || len(alts) >= 3*graph.MaxSearchTerms {
				continue
			}
			seen[w] = true
			switch {
			case !fuzzy || strings.Trim(w, "0123456789") == "" || len(w) < 3:
				alts = append(alts, w+"^2")
			case len(w) >= 6:
				alts = append(alts, w+"^2", w+"~2")
			default:
				alts = append(alts, w+"^2", w+"~1")
			}
		}
		if n.Compact != "" && len(n.Words) > 1 && !seen[n.Compact] {
			seen[n.Compact] = true
			alts = append(alts, n.Compact) // "Jinbei" for "Jin Bei"
		}
	}
	return strings.Join(alts, " OR ")
}

// duplicatesBlockGroup is how many scanned entities are blocked in one query.
const duplicatesBlockGroup = 25

func hiddenLabels(r graph.Role) []string {
	if r.SeesVictimPersonal() {
		return []string{}
	}
	l, _ := graph.KindLabel(graph.KindVictim)
	return []string{l}
}

// candidate is one blocking hit.
type candidate struct {
	entity graph.Entity
	ctx    graph.MatchContext
}

// candidates runs match-candidates for the records, keyed by their ids.
func (db *Matcher) candidates(ctx context.Context, recs []graph.Entity, hidden []string, ordered bool, per int) (map[string][]candidate, error) {
	rows := make([]map[string]any, 0, len(recs))
	for _, e := range recs {
		lq := blockingQuery(e, !ordered)
		if lq == "" {
			continue
		}
		labels := graph.CompatibleLabels(e)
		if labels == nil {
			labels = []string{}
		}
		rows = append(rows, map[string]any{"key": e.ID, "lucene": lq, "labels": labels})
	}
	out := map[string][]candidate{}
	if len(rows) == 0 {
		return out, nil
	}
	res, err := db.ReadTimed(ctx, queries.Get("match-candidates"), map[string]any{
		"rows": rows, "per": int64(per), "hidden": hidden, "ordered": ordered,
	})
	if err != nil {
		return nil, fmt.Errorf("match candidates: %w", err)
	}
	for _, rec := range res.Records {
		key, _, err := neo4j.GetRecordValue[string](rec, "key")
		if err != nil {
			return nil, fmt.Errorf("match candidates: %w", err)
		}
		n, _, err := neo4j.GetRecordValue[neo4j.Node](rec, "node")
		if err != nil {
			return nil, fmt.Errorf("match candidates: %w", err)
		}
		e, err := core.EntityFromNode(n)
		if err != nil {
			return nil, fmt.Errorf("match candidates: %w", err)
		}
		shared, err := core.StringsValue(rec, "shared")
		if err != nil {
			return nil, fmt.Errorf("match candidates: %w", err)
		}
		ns, _, err := neo4j.GetRecordValue[int64](rec, "nshared")
		if err != nil {
			return nil, fmt.Errorf("match candidates: %w", err)
		}
		out[key] = append(out[key], candidate{entity: e, ctx: graph.MatchContext{SharedNeighbours: int(ns), NeighbourNames: shared}})
	}
	return out, nil
}

// Match finds the stored entities that may be the queried record (or, with
// q.ID, duplicates of a stored entity): candidates from the full-text index
// over every normalised word of its names, of compatible kinds, without
// pairs judged "not the same", scored by graph.ScoreMatch.
func (db *Matcher) Match(ctx context.Context, q graph.MatchQuery) (graph.MatchResult, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.MatchResult{}, err
	}
	rec := q.Entity
	if q.ID != "" {
		d, err := db.reader.Entity(ctx, graph.EntityQuery{ID: q.ID})
		if err != nil {
			return graph.MatchResult{}, err
		}
		rec = d.Entity
		if slices.Contains(rec.Kinds, graph.KindVictim) && !q.Role.SeesVictimPersonal() {
			return graph.MatchResult{}, graph.Errorf(graph.CodeNotFound, "id", "no entity %q", q.ID)
		}
	}
	cands, err := db.candidates(ctx, []graph.Entity{rec}, hiddenLabels(q.Role), false, graph.MatchBlockingLimit)
	if err != nil {
		return graph.MatchResult{}, err
	}
	cs := cands[rec.ID]
	ents := make([]graph.Entity, len(cs))
	mctx := make([]graph.MatchContext, len(cs))
	for i, c := range cs {
		ents[i], mctx[i] = c.entity, c.ctx
	}
	ranked := graph.RankCandidates(rec, ents, mctx, q.Threshold, q.Cutoff)
	if len(ranked) > q.Limit {
		ranked = ranked[:q.Limit]
	}
	return graph.MatchResult{Query: graph.RefOf(rec), Threshold: q.Threshold, Candidates: ranked}, nil
}

// Duplicates pages through the whole graph's candidate pairs: entities are
// read in id order in batches of graph.DuplicatesScanBatch (a keyset scan,
// never the whole graph in memory), each batch's candidates with a greater
// id are found in one query and scored; a page ends when it holds q.Limit
// pairs (all of its last entity's) or has scanned graph.MaxDuplicatesScan
// entities. The cursor is the last entity scanned.
func (db *Matcher) Duplicates(ctx context.Context, q graph.DuplicatesQuery) (graph.DuplicatesPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.DuplicatesPage{}, err
	}
	after := ""
	if q.Cursor != "" {
		c, err := graph.DecodeCursor(q.Cursor, q.CursorKey())
		if err != nil {
			return graph.DuplicatesPage{}, err
		}
		after = c.After
	}
	hidden := hiddenLabels(q.Role)
	page := graph.DuplicatesPage{Threshold: q.Threshold, Pairs: []graph.DuplicatePair{}}
	for page.Scanned < graph.MaxDuplicatesScan && len(page.Pairs) < q.Limit {
		res, err := db.ReadTimed(ctx, queries.Get("match-scan"), map[string]any{
			"after": after, "limit": int64(graph.DuplicatesScanBatch), "hidden": hidden,
		})
		if err != nil {
			return graph.DuplicatesPage{}, fmt.Errorf("duplicates scan after %q: %w", after, err)
		}
		batch := make([]graph.Entity, 0, len(res.Records))
		for _, r := range res.Records {
			n, _, err := neo4j.GetRecordValue[neo4j.Node](r, "n")
			if err != nil {
				return graph.DuplicatesPage{}, fmt.Errorf("duplicates scan: %w", err)
			}
			e, err := core.EntityFromNode(n)
			if err != nil {
				return graph.DuplicatesPage{}, fmt.Errorf("duplicates scan: %w", err)
			}
			batch = append(batch, e)
		}
		if len(batch) == 0 {
			return page, nil // the whole graph has been read
		}
		// Block in small groups so that a page that fills early does not
		// block the rest of the batch.
		var cands map[string][]candidate
		for i, e := range batch {
			if i%duplicatesBlockGroup == 0 {
				if cands, err = db.candidates(ctx, batch[i:min(len(batch), i+duplicatesBlockGroup)], hidden, true, graph.DuplicatesBlockingLimit); err != nil {
					return graph.DuplicatesPage{}, err
				}
			}
			after = e.ID
			page.Scanned++
			var mine []graph.DuplicatePair
			for _, c := range cands[e.ID] {
				s := graph.ScoreMatch(e, c.entity, c.ctx)
				if s.Score >= q.Threshold {
					mine = append(mine, graph.DuplicatePair{A: graph.RefOf(e), B: graph.RefOf(c.entity), Score: s.Score, Band: s.Band, Features: s.Features})
				}
			}
			slices.SortStableFunc(mine, func(x, y graph.DuplicatePair) int {
				if x.Score != y.Score {
					return cmp.Compare(y.Score, x.Score)
				}
				return strings.Compare(x.B.ID, y.B.ID)
			})
			page.Pairs = append(page.Pairs, mine...)
			if len(page.Pairs) >= q.Limit {
				break
			}
		}
		if len(batch) < graph.DuplicatesScanBatch && after == batch[len(batch)-1].ID {
			return page, nil
		}
	}
	page.NextCursor = graph.EncodeCursor(graph.Cursor{After: after, Key: q.CursorKey()})
	return page, nil
}

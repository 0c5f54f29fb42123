package importer

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/scamgraph/scamgraph/graph"
)

// resolveIDs rewrites, in place, the ids of rec that stand for another
// entity now (ids maps an import id to the stored id: redirects of merges,
// the --map file, --resolve's strong-identifier matches), and reports
// which ids it rewrote. An entity record that lands on another id keeps the
// stored entity's display name: its own name becomes an alias. A
// relationship's id follows its ends.
func resolveIDs(rec *Record, ids map[string]string) []string {
	var rewrote []string
	to := func(id string) string {
		if n, ok := ids[id]; ok {
			rewrote = append(rewrote, id)
			return n
		}
		return id
	}
	if e := rec.Entity; e != nil {
		if n := to(e.ID); n != e.ID {
			e.ID = n
			e.Aliases = graph.NormalizeStrings(append(e.Aliases, e.Name))
			e.Name = ""
		}
		for i, s := range e.Sources {
			e.Sources[i] = to(s)
		}
		return rewrote
	}
	r := rec.Relationship
	from, end := to(r.From), to(r.To)
	for i, s := range r.Sources {
		r.Sources[i] = to(s)
	}
	if from != r.From || end != r.To {
		r.From, r.To = from, end
		r.ID = graph.RelationshipID(from, r.Type, end, r.Key)
	}
	return rewrote
}

// prepareIDs builds the import's id map before anything is read: the
// redirects of merges (when the store keeps them), then the mapping file
// (each target resolved through the redirects and checked to be stored),
// then, with Resolve, a pass over the files that matches every new entity
// against the graph (see resolveFiles).
func (im *Importer) prepareIDs(ctx context.Context, files []inputFile, rep *Report) error {
	ids := map[string]string{}
	why := map[string]string{}
	if rs, ok := im.store.(graph.RedirectSource); ok {
		red, err := rs.Redirects(ctx)
		if err != nil {
			return fmt.Errorf("read merged ids: %w", err)
		}
		for id := range red {
			ids[id], why[id] = graph.ResolveRedirect(red, id), graph.ResolvedMerged
		}
	}
	if len(im.opts.Map) > 0 {
		targets := make([]string, 0, len(im.opts.Map))
		for _, to := range im.opts.Map {
			targets = append(targets, graph.ResolveRedirect(ids, to))
		}
		stored, err := im.store.StoredEntities(ctx, distinct(targets))
		if err != nil {
			return fmt.Errorf("check the mapping file: %w", err)
		}
		for _, from := range slices.Sorted(maps.Keys(im.opts.Map)) {
			to := graph.ResolveRedirect(ids, im.opts.Map[from])
			if _, ok := stored[to]; !ok {
				return graph.Errorf(graph.CodeInvalid, "map", "%q is mapped to %q, which is not in the graph", from, im.opts.Map[from])
			}
			ids[from], why[from] = to, graph.ResolvedMapped
		}
	}
	if im.opts.Resolve {
		if err := im.resolveFiles(ctx, files, ids, why, rep); err != nil {
			return err
		}
	}
	if len(ids) > 0 {
		im.ids, im.why = ids, why
	}
	return nil
}

// maxCandidates is how many stored entities --resolve proposes per record.
const maxCandidates = 5

// resolveFiles reads every entity record of the files that is neither
// stored nor mapped and asks the matcher (graph.Matcher: blocking through
// the full-text index, graph.ScoreMatch, "not the same" pairs left out)
// which stored entities it may be. The best one is taken without review
// only on a shared strong identifier (graph.StrongIdentifierMatch); the
// others at or above the threshold are reported as candidates.
func (im *Importer) resolveFiles(ctx context.Context, files []inputFile, ids, why map[string]string, rep *Report) error {
	m, ok := im.store.(graph.Matcher)
	if im.opts.Matcher != nil {
		m, ok = im.opts.Matcher, true
	}
	if !ok {
		return graph.Errorf(graph.CodeUnavailable, "resolve", "this store cannot match entities")
	}
	role := im.opts.Role
	if role == "" {
		role = graph.RoleAdmin // the operator sees every entity
	}
	type pending struct {
		file string
		line int
		e    graph.Entity
	}
	var batch []pending
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var want []string
		for _, p := range batch {
			want = append(want, p.e.ID)
		}
		stored, err := im.store.StoredEntities(ctx, distinct(want))
		if err != nil {
			return fmt.Errorf("resolve: %w", err)
		}
		for _, p := range batch {
			if _, ok := stored[p.e.ID]; ok {
				continue
			}
			if _, ok := ids[p.e.ID]; ok {
				continue
			}
			res, err := m.Match(ctx, graph.MatchQuery{Entity: p.e, Limit: 2 * maxCandidates, Role: role})
			if err != nil {
				return fmt.Errorf("resolve %s: %w", p.e.ID, err)
			}
			var matches []graph.ResolveMatch
			for _, c := range res.Candidates {
				s := graph.MatchScore{Score: c.Score, Band: c.Band, Features: c.Features}
				if c.Match || graph.StrongIdentifierMatch(s) {
					matches = append(matches, graph.ResolveMatch{ID: c.Entity.ID, Name: c.Entity.Name, Kinds: c.Entity.Kinds, Score: s})
				}
			}
			slices.SortStableFunc(matches, func(a, b graph.ResolveMatch) int {
				if sa, sb := graph.StrongIdentifierMatch(a.Score), graph.StrongIdentifierMatch(b.Score); sa != sb {
					if sa {
						return -1
					}
					return 1
				}
				return cmp.Compare(b.Score.Score, a.Score.Score)
			})
			if len(matches) > 0 && graph.StrongIdentifierMatch(matches[0].Score) {
				ids[p.e.ID], why[p.e.ID] = matches[0].ID, graph.ResolvedIdentifier
				continue
			}
			if len(matches) > 0 && len(rep.Candidates) < im.opts.MaxProblems {
				rep.Candidates = append(rep.Candidates, graph.ResolveCandidate{File: p.file, Line: p.line, ID: p.e.ID,
					Name: p.e.Name, Candidates: matches[:min(len(matches), maxCandidates)]})
			}
		}
		batch = batch[:0]
		return nil
	}
	for _, f := range files {
		_, _, err := im.scanFile(ctx, f, "", func(line int, rec Record, err error) error {
			if err != nil || rec.Entity == nil || rec.Entity.HasKind(graph.KindSource) {
				return nil
			}
			batch = append(batch, pending{f.name, line, *rec.Entity})
			if len(batch) >= 500 {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return nil
}

package analytics

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

var _ graph.Analyst = (*Analyst)(nil)

// ProjectionPrefix starts the name of every projection this service makes:
// "scamgraph-" and 16 random hex digits, one per request.
const ProjectionPrefix = "scamgraph-"

// smallProjection is the largest projection whose algorithms run on one
// thread: fast enough, and the same answer every time (Louvain's parallel
// runs may differ).
const smallProjection = 10000

// projection is one request's in-memory graph.
type projection struct {
	name        string
	info        graph.ProjectionInfo
	concurrency int
	params      map[string]any // types, labels, minRank, asOf, late
}

func (g *projection) with(extra map[string]any) map[string]any {
	out := map[string]any{"name": g.name, "concurrency": int64(g.concurrency)}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// analyze counts the projection p would make, asks GDS what it and the
// algorithms named in need would take, refuses (CodeTooLarge) beyond the
// cap, projects, runs run, and drops the projection whatever happens.
// An empty projection runs nothing: run is not called.
func (db *Analyst) analyze(ctx context.Context, p graph.Projection, need []string, run func(g *projection) error) (graph.ProjectionInfo, error) {
	params := map[string]any{"minRank": int64(p.MinEvidence.Rank())}
	var err error
	if params["types"], err = core.RelTypeParams(p.RelTypes); err != nil {
		return graph.ProjectionInfo{}, err
	}
	if params["labels"], err = core.KindLabels(p.Kinds); err != nil {
		return graph.ProjectionInfo{}, err
	}
	if err := db.AsOfParams(ctx, p.AsOf, params); err != nil {
		return graph.ProjectionInfo{}, err
	}
	count, project := core.ReadQuery("gds-count", nil), core.ReadQuery("gds-project", nil)
	switch native, err := db.nativeParams(ctx, p, params); {
	case err != nil:
		return graph.ProjectionInfo{}, err
	case native:
		count, project = queries.Get("gds-count-native"), queries.Get("gds-project-native")
	case p.Focus != "":
		params["focus"] = p.Focus
		hops := map[string]int{"__hops": p.Hops}
		count, project = core.ReadQuery("gds-count-focus", hops), core.ReadQuery("gds-project-focus", hops)
	}
	if labels, _ := params["labels"].([]string); len(labels) == 0 {
		return graph.ProjectionInfo{}, nil // no entity of the kinds was ever stored
	}
	res, err := db.ReadTimed(ctx, count, params)
	if err != nil {
		return graph.ProjectionInfo{}, fmt.Errorf("count the projection: %w", err)
	}
	rec := res.Records[0]
	if found, ok := rec.Get("found"); ok && found != true {
		return graph.ProjectionInfo{}, graph.Errorf(graph.CodeNotFound, "focus", "no entity %q", p.Focus)
	}
	nodes, _, _ := neo4j.GetRecordValue[int64](rec, "nodes")
	rels, _, _ := neo4j.GetRecordValue[int64](rec, "relationships")
	info := graph.ProjectionInfo{Nodes: int(nodes), Relationships: int(rels)}
	if nodes == 0 {
		return info, nil
	}
	g := &projection{name: ProjectionPrefix + randomHex(8), concurrency: graph.AnalyticsConcurrency, params: params}
	if nodes <= smallProjection {
		g.concurrency = 1
	}
	if info.EstimateBytes, err = db.estimate(ctx, nodes, rels, g.concurrency, need); err != nil {
		return info, err
	}
	if info.EstimateBytes > db.AnalyticsMaxBytes {
		field := "focus"
		if p.Focus != "" {
			field = "hops"
		}
		return info, graph.Errorf(graph.CodeTooLarge, field,
			"the projection (%d entities, %d ties) would need up to %d MiB, over the cap of %d MiB (ANALYTICS_MAX_MEMORY): narrow it with focus and hops, kinds, rel_types, min_evidence or as_of",
			nodes, rels, mib(info.EstimateBytes), mib(db.AnalyticsMaxBytes))
	}
	db.dropStale(ctx)
	defer db.dropProjection(ctx, g.name)
	params["name"], params["concurrency"] = g.name, int64(g.concurrency)
	res, err = db.ReadTimed(ctx, project, params)
	if err != nil {
		return info, fmt.Errorf("project the graph: %w", err)
	}
	// The count above is of relationships; the projection holds ties
	// (parallel relationships are one), each twice (undirected).
	if len(res.Records) == 1 {
		if n, isNil, err := neo4j.GetRecordValue[int64](res.Records[0], "nodes"); err == nil && !isNil {
			info.Nodes = int(n)
		}
		if r, isNil, err := neo4j.GetRecordValue[int64](res.Records[0], "relationships"); err == nil && !isNil {
			info.Relationships = int(r / 2)
		}
	}
	g.info = info
	return info, run(g)
}

// nativeParams says whether p can be projected natively (gds-project-native,
// reading the store directly, many times faster than a Cypher projection):
// the whole graph (no focus), today (no as_of), any evidence (a native
// projection cannot filter on a property), and a database that has ever
// held one of the relationship types and the evidence_rank property. If so,
// it narrows params' labels to those the database has held (a native
// projection refuses the others) and adds the relationship projection.
func (db *Analyst) nativeParams(ctx context.Context, p graph.Projection, params map[string]any) (bool, error) {
	if p.Focus != "" || p.AsOf != nil || p.MinEvidence.Rank() > 0 {
		return false, nil
	}
	res, err := db.ReadTimed(ctx, queries.Get("gds-native-present"), map[string]any{"labels": params["labels"], "types": params["types"]})
	if err != nil {
		return false, fmt.Errorf("labels and types of the projection: %w", err)
	}
	rec := res.Records[0]
	labels, err := core.StringsValue(rec, "labels")
	if err != nil {
		return false, err
	}
	types, err := core.StringsValue(rec, "types")
	if err != nil {
		return false, err
	}
	weighted, _, _ := neo4j.GetRecordValue[bool](rec, "weighted")
	if len(types) == 0 || !weighted {
		return false, nil
	}
	rels := make(map[string]any, len(types))
	for _, t := range types {
		rels[t] = map[string]any{"type": t, "orientation": "UNDIRECTED", "aggregation": "SUM",
			"properties": map[string]any{"weight": map[string]any{"property": "evidence_rank", "defaultValue": 1.0, "aggregation": "SUM"}}}
	}
	params["labels"], params["relationships"] = labels, rels
	return true, nil
}

func mib(b int64) int64 { return (b + 1<<20 - 1) >> 20 }

// estimate is GDS's most bytes for the projection plus the hungriest of
// the algorithms in need (they run one after the other).
func (db *Analyst) estimate(ctx context.Context, nodes, rels int64, concurrency int, need []string) (int64, error) {
	res, err := db.ReadTimed(ctx, queries.Get("gds-estimate"), map[string]any{
		"nodes": nodes, "relationships": rels, "concurrency": int64(concurrency)})
	if err != nil {
		return 0, fmt.Errorf("estimate the projection's memory: %w", err)
	}
	rec := res.Records[0]
	total, _, err := neo4j.GetRecordValue[int64](rec, "projection")
	if err != nil {
		return 0, fmt.Errorf("estimate the projection's memory: %w", err)
	}
	var most int64
	for _, a := range need {
		b, _, err := neo4j.GetRecordValue[int64](rec, a)
		if err != nil {
			return 0, fmt.Errorf("estimate %s's memory: %w", a, err)
		}
		most = max(most, b)
	}
	return total + most, nil
}

// dropProjection drops the request's projection, with a context of its
// own: the request's may be cancelled or out of time. A request cancelled
// while Neo4j was still building its projection leaves that transaction
// running on the server, and the projection lands in the catalog later:
// then the transactions carrying the name are terminated (gds-terminate)
// and the drop repeated until none is left and the catalog holds no such
// projection.
func (db *Analyst) dropProjection(ctx context.Context, name string) {
	cancelled := ctx.Err() != nil
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	tries := 4
	if cancelled {
		tries = 12
	}
	var err error
	for i := 0; i < tries; i++ {
		running := 0
		if cancelled {
			if res, terr := db.Read(dctx, queries.Get("gds-terminate"), map[string]any{"name": name}); terr == nil {
				running = len(res.Records)
			}
		}
		if _, err = db.Read(dctx, queries.Get("gds-drop"), map[string]any{"name": name}); err != nil {
			continue
		}
		res, eerr := db.Read(dctx, queries.Get("gds-exists"), map[string]any{"name": name})
		if eerr == nil && res.Records[0].Values[0] == false && i > 0 && running == 0 {
			return
		}
		time.Sleep(min(time.Duration(i+1)*100*time.Millisecond, time.Second))
	}
	if err != nil {
		slog.Default().Error("drop analytics projection", slog.String("name", name), slog.Any("error", err))
	}
	if cancelled {
		// On a loaded server the cancelled request's projection may not
		// even have started when the loop above looked: watch for it.
		go db.watchLate(context.WithoutCancel(ctx), name)
	}
}

// lateWatch is how long a cancelled request's projection is watched for
// after the request, and lateEvery how often.
const (
	lateWatch = time.Minute
	lateEvery = 500 * time.Millisecond
)

// watchLate terminates the transactions carrying a cancelled request's
// projection name and drops the projection, every lateEvery for lateWatch:
// one that lands after the request ended is dropped within lateEvery. It
// stops early when the driver is closed.
func (db *Analyst) watchLate(ctx context.Context, name string) {
	ctx, cancel := context.WithTimeout(ctx, lateWatch)
	defer cancel()
	for ctx.Err() == nil {
		_, _ = db.Read(ctx, queries.Get("gds-terminate"), map[string]any{"name": name})
		res, err := db.Read(ctx, queries.Get("gds-drop"), map[string]any{"name": name})
		var usage *neo4j.UsageError
		if err != nil && (errors.As(err, &usage) || strings.Contains(err.Error(), "closed driver")) {
			return // the driver is closed: the service is stopping
		}
		if err == nil && len(res.Records) > 0 {
			slog.Default().Warn("dropped the projection of a cancelled request that landed late", slog.String("name", name))
		}
		select {
		case <-ctx.Done():
		case <-time.After(lateEvery):
		}
	}
}

// StaleProjectionAge is the age past which a projection of this service is
// taken as left behind by a process that died mid-request (no request
// lives this long: ANALYTICS_TIMEOUT is far shorter) and dropped by the
// next analysis.
const StaleProjectionAge = time.Hour

// dropStale drops the service's projections older than StaleProjectionAge.
// Best effort: a failure is logged, the analysis goes on.
func (db *Analyst) dropStale(ctx context.Context) {
	res, err := db.Read(ctx, queries.Get("gds-drop-stale"), map[string]any{
		"prefix": ProjectionPrefix, "maxAge": neo4j.Duration{Seconds: int64(StaleProjectionAge / time.Second)}})
	if err != nil {
		slog.Default().Warn("drop stale analytics projections", slog.Any("error", err))
		return
	}
	for _, r := range res.Records {
		slog.Default().Warn("dropped a stale analytics projection", slog.Any("name", r.Values[0]))
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// scores is an algorithm's answer: a value per GDS node id.
type scores map[int64]float64

// stream runs an algorithm query whose rows are nodeId and a number.
func (db *Analyst) stream(ctx context.Context, g *projection, name, value string, extra map[string]any) (scores, error) {
	res, err := db.ReadTimed(ctx, queries.Get(name), g.with(extra))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := make(scores, len(res.Records))
	for _, r := range res.Records {
		id, _, err := neo4j.GetRecordValue[int64](r, "nodeId")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		switch v := r.AsMap()[value].(type) {
		case float64:
			out[id] = v
		case int64:
			out[id] = float64(v)
		default:
			return nil, fmt.Errorf("%s: %s is %T", name, value, v)
		}
	}
	return out, nil
}

// ranked orders node ids by score, highest first (ties by id). Scores
// equal to 9 decimals are ties: a weighted algorithm's sums differ in the
// last bits with the order GDS added them in, which would break ties by
// chance.
func (s scores) ranked() []int64 {
	ids := make([]int64, 0, len(s))
	for id := range s {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		if c := cmp.Compare(roundScore(s[b]), roundScore(s[a])); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return ids
}

func roundScore(x float64) float64 { return math.Round(x*1e9) / 1e9 }

// entities fetches the entities of GDS node ids.
func (db *Analyst) entities(ctx context.Context, ids []int64) (map[int64]graph.Entity, error) {
	res, err := db.ReadTimed(ctx, queries.Get("gds-nodes"), map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("fetch the ranked entities: %w", err)
	}
	out := make(map[int64]graph.Entity, len(res.Records))
	for _, r := range res.Records {
		id, _, _ := neo4j.GetRecordValue[int64](r, "nodeId")
		n, _, err := neo4j.GetRecordValue[neo4j.Node](r, "n")
		if err != nil {
			return nil, fmt.Errorf("fetch the ranked entities: %w", err)
		}
		if out[id], err = core.EntityFromNode(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// edges fetches the projected relationships among entity ids.
func (db *Analyst) edges(ctx context.Context, g *projection, ids []string) ([]graph.Relationship, error) {
	params := map[string]any{"ids": ids}
	for _, k := range []string{"types", "minRank", "asOf", "late"} {
		params[k] = g.params[k]
	}
	res, err := db.ReadTimed(ctx, core.ReadQuery("gds-edges", nil), params)
	if err != nil {
		return nil, fmt.Errorf("fetch the ties among the ranked entities: %w", err)
	}
	out := make([]graph.Relationship, 0, len(res.Records))
	for _, rec := range res.Records {
		rel, err := core.RelationshipAt(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, rel)
	}
	return out, nil
}

// ---- key players

// mutate runs an algorithm query that writes its scores into the
// projection (gds-*-mutate): they stay in the server, and only the top of
// the ranking is read (top, rankOf).
func (db *Analyst) mutate(ctx context.Context, g *projection, name string, extra map[string]any) error {
	if _, err := db.ReadTimed(ctx, queries.Get(name), g.with(extra)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// top reads the limit highest scores of a mutated property, highest first.
func (db *Analyst) top(ctx context.Context, g *projection, property string, limit int) ([]int64, scores, error) {
	res, err := db.ReadTimed(ctx, queries.Get("gds-top"), g.with(map[string]any{"property": property, "limit": int64(limit)}))
	if err != nil {
		return nil, nil, fmt.Errorf("top %s: %w", property, err)
	}
	ids := make([]int64, 0, len(res.Records))
	out := make(scores, len(res.Records))
	for _, r := range res.Records {
		id, _, err := neo4j.GetRecordValue[int64](r, "nodeId")
		if err != nil {
			return nil, nil, fmt.Errorf("top %s: %w", property, err)
		}
		ids = append(ids, id)
		out[id] = number(r.AsMap()["score"])
	}
	return ids, out, nil
}

// rankOf reads the score and rank of ids by a mutated property: 1 + how
// many score higher (equal scores share a rank).
func (db *Analyst) rankOf(ctx context.Context, g *projection, property string, ids []int64) (scores, map[int64]int, error) {
	res, err := db.ReadTimed(ctx, queries.Get("gds-rank"), g.with(map[string]any{"property": property, "ids": ids}))
	if err != nil {
		return nil, nil, fmt.Errorf("rank by %s: %w", property, err)
	}
	out, ranks := make(scores, len(res.Records)), make(map[int64]int, len(res.Records))
	for _, r := range res.Records {
		id, _, err := neo4j.GetRecordValue[int64](r, "nodeId")
		if err != nil {
			return nil, nil, fmt.Errorf("rank by %s: %w", property, err)
		}
		rank, _, _ := neo4j.GetRecordValue[int64](r, "rank")
		out[id], ranks[id] = number(r.AsMap()["score"]), int(rank)
	}
	return out, ranks, nil
}

// number is a float or integer record value as a float (0 otherwise).
func number(v any) float64 {
	switch v := v.(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	}
	return 0
}

// KeyPlayers ranks the projection's entities by PageRank and gives each
// its degree and betweenness. The scores stay in the projection; only the
// top entities' leave the server.
func (db *Analyst) KeyPlayers(ctx context.Context, q graph.AnalyticsQuery) (graph.KeyPlayers, error) {
	q, err := q.Normalize(graph.DefaultAnalyticsKinds())
	if err != nil {
		return graph.KeyPlayers{}, err
	}
	out := graph.KeyPlayers{Players: []graph.KeyPlayer{}}
	out.Projection, err = db.analyze(ctx, q.Projection, []string{"pagerank", "degree", "betweenness"}, func(g *projection) error {
		if err := db.mutate(ctx, g, "gds-pagerank-mutate", nil); err != nil {
			return err
		}
		if err := db.mutate(ctx, g, "gds-degree-mutate", nil); err != nil {
			return err
		}
		sampled, err := db.betweennessMutate(ctx, g)
		if err != nil {
			return err
		}
		top, pr, err := db.top(ctx, g, "pagerank", q.Limit)
		if err != nil {
			return err
		}
		deg, degRank, err := db.rankOf(ctx, g, "degree", top)
		if err != nil {
			return err
		}
		bc, bcRank, err := db.rankOf(ctx, g, "betweenness", top)
		if err != nil {
			return err
		}
		ents, err := db.entities(ctx, top)
		if err != nil {
			return err
		}
		n := g.info.Nodes
		ids := make([]string, 0, len(top))
		for i, id := range top {
			e, ok := ents[id]
			if !ok {
				continue // deleted since the projection
			}
			kp := graph.KeyPlayer{Entity: e, Rank: i + 1, PageRank: pr[id], Degree: int(deg[id]), Betweenness: bc[id]}
			ties := "direct ties"
			if kp.Degree == 1 {
				ties = "direct tie"
			}
			most := graph.Ordinal(degRank[id]) + " most"
			if degRank[id] == 1 {
				most = "the most"
			}
			kp.Reason = fmt.Sprintf("%s of %d by PageRank (%.3f): tied to entities that are themselves well tied; %d %s (%s); betweenness %.1f (%s%s)",
				graph.Ordinal(kp.Rank), n, kp.PageRank, kp.Degree, ties, most, kp.Betweenness,
				graph.Ordinal(bcRank[id]), sampledNote(sampled))
			if bcRank[id] <= 3 && kp.Betweenness > 0 {
				kp.Reason += "; a broker: many shortest paths between others run through it"
			}
			out.Players = append(out.Players, kp)
			ids = append(ids, e.ID)
		}
		out.Edges, err = db.edges(ctx, g, ids)
		return err
	})
	return out, err
}

func sampledNote(sampled bool) string {
	if sampled {
		return ", sampled"
	}
	return ""
}

// betweennessSample is the sampling size of betweenness centrality (null:
// exact) and whether it samples (graph.BetweennessSamples).
func betweennessSample(g *projection) (any, bool) {
	n, exact := graph.BetweennessSamples(g.info.Nodes)
	if exact {
		return nil, false
	}
	return int64(n), true
}

// betweenness streams betweenness centrality of every node (RunAnalytics).
func (db *Analyst) betweenness(ctx context.Context, g *projection) (scores, bool, error) {
	sample, sampled := betweennessSample(g)
	s, err := db.stream(ctx, g, "gds-betweenness", "score", map[string]any{"samplingSize": sample})
	return s, sampled, err
}

// betweennessMutate computes betweenness centrality into the projection.
func (db *Analyst) betweennessMutate(ctx context.Context, g *projection) (bool, error) {
	sample, sampled := betweennessSample(g)
	return sampled, db.mutate(ctx, g, "gds-betweenness-mutate", map[string]any{"samplingSize": sample})
}

// ---- brokers

// Brokers ranks the projection's entities by betweenness, says which are
// articulation points, and lists the bridges at the brokers.
func (db *Analyst) Brokers(ctx context.Context, q graph.AnalyticsQuery) (graph.Brokers, error) {
	q, err := q.Normalize(graph.DefaultAnalyticsKinds())
	if err != nil {
		return graph.Brokers{}, err
	}
	out := graph.Brokers{Brokers: []graph.Broker{}, Bridges: []graph.Bridge{}}
	out.Projection, err = db.analyze(ctx, q.Projection, []string{"betweenness", "articulation", "bridges"}, func(g *projection) error {
		sampled, err := db.betweennessMutate(ctx, g)
		if err != nil {
			return err
		}
		out.Sampled = sampled
		top, bc, err := db.top(ctx, g, "betweenness", q.Limit)
		if err != nil {
			return err
		}
		ap := map[int64]bool{}
		want := slices.Clone(top)
		var pairs [][2]int64
		// Without ties nothing is cut (and GDS's articulation points fail
		// on such a graph with ArrayIndexOutOfBounds).
		tied := g.info.Relationships > 0
		var records []*neo4j.Record
		if tied {
			res, err := db.ReadTimed(ctx, queries.Get("gds-articulation-points"), g.with(map[string]any{"ids": top}))
			if err != nil {
				return fmt.Errorf("articulation points: %w", err)
			}
			for _, r := range res.Records {
				id, _, _ := neo4j.GetRecordValue[int64](r, "nodeId")
				ap[id] = true
			}
			res, err = db.ReadTimed(ctx, queries.Get("gds-bridges"), g.with(map[string]any{"ids": top}))
			if err != nil {
				return fmt.Errorf("bridges: %w", err)
			}
			records = res.Records
		}
		for _, r := range records {
			from, _, _ := neo4j.GetRecordValue[int64](r, "from")
			to, _, _ := neo4j.GetRecordValue[int64](r, "to")
			if len(pairs) < graph.MaxAnalyticsLimit {
				pairs = append(pairs, [2]int64{from, to})
				want = append(want, from, to)
			}
		}
		ents, err := db.entities(ctx, want)
		if err != nil {
			return err
		}
		ids := []string{}
		for i, id := range top {
			e, ok := ents[id]
			if !ok {
				continue
			}
			b := graph.Broker{Entity: e, Rank: i + 1, Betweenness: bc[id], ArticulationPoint: ap[id]}
			b.Reason = fmt.Sprintf("%s of %d by betweenness (%.1f%s): ", graph.Ordinal(b.Rank), g.info.Nodes, b.Betweenness, sampledNote(sampled))
			switch {
			case b.Betweenness == 0:
				b.Reason += "on no shortest path between others"
			case b.ArticulationPoint:
				b.Reason += "many shortest paths between others run through it, and removing it cuts its part of the network in two"
			default:
				b.Reason += "many shortest paths between others run through it, though they could also go around it"
			}
			out.Brokers = append(out.Brokers, b)
			ids = append(ids, e.ID)
		}
		for _, p := range pairs {
			a, aok := ents[p[0]]
			b, bok := ents[p[1]]
			if aok && bok {
				out.Bridges = append(out.Bridges, graph.Bridge{From: a.ID, To: b.ID})
			}
		}
		out.Edges, err = db.edges(ctx, g, ids)
		return err
	})
	return out, err
}

// ---- communities

// Communities finds the projection's communities (Louvain or WCC) and
// lists the largest with their most central members (PageRank). The
// grouping runs in the server (gds-communities-top).
func (db *Analyst) Communities(ctx context.Context, q graph.CommunityQuery) (graph.Communities, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.Communities{}, err
	}
	out := graph.Communities{Algorithm: q.Algorithm, Communities: []graph.Community{}}
	algo := string(q.Algorithm)
	out.Projection, err = db.analyze(ctx, q.Projection, []string{algo, "pagerank"}, func(g *projection) error {
		if err := db.mutate(ctx, g, "gds-"+algo+"-mutate", nil); err != nil {
			return err
		}
		if err := db.mutate(ctx, g, "gds-pagerank-mutate", nil); err != nil {
			return err
		}
		res, err := db.ReadTimed(ctx, queries.Get("gds-communities-top"), g.with(map[string]any{
			"limit": int64(q.Limit), "members": int64(graph.CommunityMembersShown)}))
		if err != nil {
			return fmt.Errorf("the largest communities: %w", err)
		}
		type member struct {
			id int64
			pr float64
		}
		var want []int64
		members := make([][]member, len(res.Records))
		for i, r := range res.Records {
			count, _, _ := neo4j.GetRecordValue[int64](r, "count")
			c, _, _ := neo4j.GetRecordValue[int64](r, "community")
			size, _, _ := neo4j.GetRecordValue[int64](r, "size")
			ms, _, err := neo4j.GetRecordValue[[]any](r, "members")
			if err != nil {
				return fmt.Errorf("the largest communities: %w", err)
			}
			out.Count = int(count)
			out.Communities = append(out.Communities, graph.Community{ID: c, Size: int(size), Members: []graph.CommunityMember{}})
			for _, m := range ms {
				mm, _ := m.(map[string]any)
				id, _ := mm["nodeId"].(int64)
				members[i] = append(members[i], member{id, number(mm["pagerank"])})
				want = append(want, id)
			}
		}
		ents, err := db.entities(ctx, want)
		if err != nil {
			return err
		}
		var shown []string
		for i := range out.Communities {
			for _, m := range members[i] {
				if e, ok := ents[m.id]; ok {
					out.Communities[i].Members = append(out.Communities[i].Members, graph.CommunityMember{Entity: e, PageRank: m.pr})
					shown = append(shown, e.ID)
				}
			}
		}
		if len(shown) > graph.MaxAnalyticsLimit+1 {
			shown = shown[:graph.MaxAnalyticsLimit+1]
		}
		out.Edges, err = db.edges(ctx, g, shown)
		return err
	})
	return out, err
}

// ---- similarity

// Similar finds the entities that share most counterparts with q.ID, in
// its neighbourhood.
func (db *Analyst) Similar(ctx context.Context, q graph.SimilarQuery) (graph.Similar, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.Similar{}, err
	}
	out := graph.Similar{Similar: []graph.SimilarEntity{}}
	out.Projection, err = db.analyze(ctx, q.Projection, []string{"similarity"}, func(g *projection) error {
		sim, err := db.stream(ctx, g, "gds-similar", "similarity", map[string]any{"id": q.ID, "limit": int64(q.Limit)})
		if err != nil {
			return err
		}
		top := sim.ranked()
		ents, err := db.entities(ctx, top)
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(top))
		for _, id := range top {
			if e, ok := ents[id]; ok {
				ids = append(ids, e.ID)
			}
		}
		res, err := db.ReadTimed(ctx, queries.Get("gds-shared"), map[string]any{
			"id": q.ID, "ids": ids, "types": g.params["types"], "minRank": g.params["minRank"]})
		if err != nil {
			return fmt.Errorf("count shared counterparts: %w", err)
		}
		shared := map[string]int{}
		for _, r := range res.Records {
			id, _, _ := neo4j.GetRecordValue[string](r, "id")
			n, _, _ := neo4j.GetRecordValue[int64](r, "shared")
			shared[id] = int(n)
		}
		for _, id := range top {
			e, ok := ents[id]
			if !ok {
				continue
			}
			s := graph.SimilarEntity{Entity: e, Similarity: sim[id], Shared: shared[e.ID]}
			s.Reason = fmt.Sprintf("shares %d counterparts (Jaccard %.2f: the share of either's counterparts that both have)", s.Shared, s.Similarity)
			out.Similar = append(out.Similar, s)
		}
		out.Edges, err = db.edges(ctx, g, append(ids, q.ID))
		return err
	})
	if graph.ErrorCode(err) == graph.CodeNotFound && graph.ErrorField(err) == "focus" {
		// The neighbourhood is the path's id's (GET /v1/analytics/similar/{id}).
		return out, graph.Errorf(graph.CodeNotFound, "id", "no entity %q", q.ID)
	}
	if err != nil {
		return out, err
	}
	d, err := db.reader.Entity(ctx, graph.EntityQuery{ID: q.ID})
	out.Entity = d.Entity
	return out, err
}

// ---- runs

// analyticsWriteBatch is how many entities one write transaction scores.
const analyticsWriteBatch = 5000

// RunAnalytics computes PageRank, degree, betweenness and Louvain over p
// and writes them on the entities, after removing the last run's.
func (db *Analyst) RunAnalytics(ctx context.Context, p graph.Projection) (graph.AnalyticsRun, error) {
	p, err := p.Normalize(graph.DefaultAnalyticsKinds())
	if err != nil {
		return graph.AnalyticsRun{}, err
	}
	run := graph.AnalyticsRun{ID: "analytics-" + time.Now().UTC().Format("20060102T150405") + "-" + randomHex(4),
		StartedAt: time.Now().UTC().Truncate(time.Millisecond), Properties: graph.AnalyticsProperties()}
	var rows []map[string]any
	run.Projection, err = db.analyze(ctx, p, []string{"pagerank", "degree", "betweenness", "louvain"}, func(g *projection) error {
		pr, err := db.stream(ctx, g, "gds-pagerank", "score", nil)
		if err != nil {
			return err
		}
		deg, err := db.stream(ctx, g, "gds-degree", "score", nil)
		if err != nil {
			return err
		}
		bc, _, err := db.betweenness(ctx, g)
		if err != nil {
			return err
		}
		com, err := db.stream(ctx, g, "gds-louvain", "community", nil)
		if err != nil {
			return err
		}
		rows = make([]map[string]any, 0, len(pr))
		for _, id := range pr.ranked() {
			rows = append(rows, map[string]any{"nodeId": id, "pagerank": pr[id], "degree": int64(deg[id]),
				"betweenness": bc[id], "community": int64(com[id])})
		}
		return nil
	})
	if err != nil {
		return run, err
	}
	if err := db.autoCommit(ctx, queries.Get("analytics-clear"), nil); err != nil {
		return run, fmt.Errorf("remove the last run's scores: %w", err)
	}
	for i := 0; i < len(rows); i += analyticsWriteBatch {
		res, err := neo4j.ExecuteQuery(ctx, db.Driver(), queries.Get("analytics-write"), map[string]any{
			"rows": rows[i:min(i+analyticsWriteBatch, len(rows))], "run": run.ID, "at": neo4j.DateOf(run.StartedAt)},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db.Database()))
		if err != nil {
			return run, fmt.Errorf("write the scores: %w", db.ClassifyReq(ctx, err))
		}
		n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "written")
		run.Written += int(n)
	}
	run.FinishedAt = time.Now().UTC().Truncate(time.Millisecond)
	asked, _ := json.Marshal(p)
	_, err = neo4j.ExecuteQuery(ctx, db.Driver(), queries.Get("analytics-run-save"), map[string]any{
		"id": run.ID, "startedAt": run.StartedAt, "finishedAt": run.FinishedAt,
		"nodes": int64(run.Projection.Nodes), "relationships": int64(run.Projection.Relationships),
		"estimateBytes": run.Projection.EstimateBytes, "written": int64(run.Written), "params": string(asked)},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db.Database()))
	if err != nil {
		return run, fmt.Errorf("record the run: %w", db.ClassifyReq(ctx, err))
	}
	return run, nil
}

// autoCommit runs one statement in an implicit transaction (what CALL IN
// TRANSACTIONS needs) on a writer.
func (db *Analyst) autoCommit(ctx context.Context, cypher string, params map[string]any) error {
	sess := db.Session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(context.WithoutCancel(ctx))
	res, err := sess.Run(ctx, cypher, params)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return db.ClassifyReq(ctx, err)
	}
	return nil
}

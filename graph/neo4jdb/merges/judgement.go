package merges

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

// judgementFromNode converts a stored :Judgement or :WithdrawnJudgement node.
func judgementFromNode(n neo4j.Node) (graph.Judgement, error) {
	r := &core.PropReader{E: n}
	j := graph.Judgement{ID: r.Str("id"), A: r.Str("a"), B: r.Str("b"), Verdict: r.Str("verdict"), Reason: r.Str("reason"),
		By: r.Str("by"), ViaMerge: r.Str("via_merge"), Status: graph.JudgementActive}
	if at := r.Time("at"); at != nil {
		j.At = *at
	}
	if slices.Contains(n.Labels, "WithdrawnJudgement") {
		j.Status = graph.JudgementWithdrawn
		j.WithdrawnBy, j.WithdrawReason, j.WithdrawnAt = r.Str("withdrawn_by"), r.Str("withdraw_reason"), r.Time("withdrawn_at")
	}
	if r.Err != nil {
		return j, fmt.Errorf("judgement %s: %w", j.ID, r.Err)
	}
	return j, nil
}

// Judgements pages through the judgements in force, newest first (at
// descending, then id): one read of limit+1 rows, the extra one saying
// whether a next page exists.
func (db *Merger) Judgements(ctx context.Context, q graph.JudgementsQuery) (graph.JudgementsPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.JudgementsPage{}, err
	}
	params := map[string]any{"entity": nil, "verdict": nil, "after_at": nil, "after_id": q.AfterID, "limit": q.Limit + 1}
	if q.Entity != "" {
		params["entity"] = q.Entity
	}
	if q.Verdict != "" {
		params["verdict"] = q.Verdict
	}
	if q.AfterAt != nil {
		params["after_at"] = q.AfterAt.UTC().Format(time.RFC3339Nano)
	}
	res, err := db.Read(ctx, queries.Get("judgement-list"), params)
	if err != nil {
		return graph.JudgementsPage{}, fmt.Errorf("list judgements: %w", err)
	}
	page := graph.JudgementsPage{Judgements: []graph.Judgement{}}
	for _, rec := range res.Records {
		n, _, err := neo4j.GetRecordValue[neo4j.Node](rec, "j")
		if err != nil {
			return page, fmt.Errorf("list judgements: %w", err)
		}
		j, err := judgementFromNode(n)
		if err != nil {
			return page, fmt.Errorf("list judgements: %w", err)
		}
		page.Judgements = append(page.Judgements, j)
	}
	if len(page.Judgements) > q.Limit {
		page.Judgements = page.Judgements[:q.Limit]
		page.NextCursor = q.NextJudgementsCursor(page.Judgements[q.Limit-1])
	}
	return page, nil
}

// WithdrawJudgement withdraws a judgement in one write transaction: it
// reads it, checks that w may withdraw it (its author, or w.Any) and
// relabels it :WithdrawnJudgement, which every query reading :Judgement
// (the matcher's, the merges') no longer sees. A withdrawn one is answered
// unchanged.
func (db *Merger) WithdrawJudgement(ctx context.Context, w graph.JudgementWithdrawal) (graph.Judgement, error) {
	w, err := w.Normalize()
	if err != nil {
		return graph.Judgement{}, err
	}
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := core.Collect(ctx, tx, "judgement-get", map[string]any{"id": w.ID})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, graph.Errorf(graph.CodeNotFound, "id", "no judgement %q", w.ID)
		}
		n, _, err := neo4j.GetRecordValue[neo4j.Node](recs[0], "j")
		if err != nil {
			return nil, err
		}
		j, err := judgementFromNode(n)
		if err != nil || j.Status == graph.JudgementWithdrawn {
			return j, err
		}
		if err := w.MayWithdraw(j); err != nil {
			return nil, err
		}
		recs, err = core.Collect(ctx, tx, "judgement-withdraw", map[string]any{"id": w.ID, "by": w.By, "reason": w.Reason})
		if err != nil {
			return nil, err
		}
		if len(recs) != 1 {
			return nil, fmt.Errorf("judgement-withdraw answered %d rows", len(recs))
		}
		n, _, err = neo4j.GetRecordValue[neo4j.Node](recs[0], "j")
		if err != nil {
			return nil, err
		}
		return judgementFromNode(n)
	}
	out, err := db.write(ctx, work)
	if err != nil {
		return graph.Judgement{}, fmt.Errorf("withdraw %s: %w", w.ID, err)
	}
	return out.(graph.Judgement), nil
}

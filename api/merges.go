package api

import (
	"context"
	"errors"
	"strings"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/triage"
)

// byName is who a request is, for the records of merges and judgements:
// the API key's name.
func byName(ctx context.Context) string {
	if p, ok := graph.PrincipalFrom(ctx); ok {
		return p.Name
	}
	return ""
}

func (s *server) mergeStore() (graph.MergeStore, error) {
	if s.merges == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "merges are not available on this server")
	}
	return s.merges, nil
}

// Merge is POST /v1/merges.
func (s *server) Merge(ctx context.Context, r MergeRequestObject) (MergeResponseObject, error) {
	ms, err := s.mergeStore()
	if err != nil {
		return nil, err
	}
	rec, err := ms.Merge(ctx, graph.MergeRequest{Keep: r.Body.Keep, Merge: r.Body.Merge, Reason: r.Body.Reason, By: byName(ctx)})
	if errors.Is(err, graph.ErrRepeated) {
		return Merge200JSONResponse(rec), nil
	}
	if err != nil {
		return nil, err
	}
	note(ctx, "merge", rec.ID)
	return Merge201JSONResponse{Body: MergeRecord(rec), Headers: Merge201ResponseHeaders{Location: "/v1/merges/" + rec.ID}}, nil
}

// MergeRecord is GET /v1/merges/{id}.
func (s *server) MergeRecord(ctx context.Context, r MergeRecordRequestObject) (MergeRecordResponseObject, error) {
	ms, err := s.mergeStore()
	if err != nil {
		return nil, err
	}
	rec, err := ms.MergeRecord(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return MergeRecord200JSONResponse(rec), nil
}

// UndoMerge is DELETE /v1/merges/{id}.
func (s *server) UndoMerge(ctx context.Context, r UndoMergeRequestObject) (UndoMergeResponseObject, error) {
	ms, err := s.mergeStore()
	if err != nil {
		return nil, err
	}
	rec, err := ms.UndoMerge(ctx, r.Id, byName(ctx))
	if err != nil {
		return nil, err
	}
	note(ctx, "undo_merge", rec.ID)
	return UndoMerge200JSONResponse(rec), nil
}

// Judge is POST /v1/judgements.
func (s *server) Judge(ctx context.Context, r JudgeRequestObject) (JudgeResponseObject, error) {
	ms, err := s.mergeStore()
	if err != nil {
		return nil, err
	}
	j := graph.Judgement{A: r.Body.A, B: r.Body.B, Verdict: string(r.Body.Verdict), Reason: r.Body.Reason, By: byName(ctx)}
	out, created, err := ms.Judge(ctx, j)
	if err != nil {
		return nil, err
	}
	note(ctx, "judgement", out.ID)
	if created {
		return Judge201JSONResponse(out), nil
	}
	return Judge200JSONResponse(out), nil
}

// Judgements is GET /v1/judgements.
func (s *server) Judgements(ctx context.Context, r JudgementsRequestObject) (JudgementsResponseObject, error) {
	ms, err := s.mergeStore()
	if err != nil {
		return nil, err
	}
	p := r.Params
	page, err := ms.Judgements(ctx, graph.JudgementsQuery{Entity: string(p.Entity), Verdict: string(p.Verdict), Limit: p.Limit, Cursor: p.Cursor})
	if err != nil {
		return nil, err
	}
	return Judgements200JSONResponse(page), nil
}

// WithdrawJudgement is DELETE /v1/judgements/{id}: its author, or an admin.
func (s *server) WithdrawJudgement(ctx context.Context, r WithdrawJudgementRequestObject) (WithdrawJudgementResponseObject, error) {
	ms, err := s.mergeStore()
	if err != nil {
		return nil, err
	}
	p, _ := graph.PrincipalFrom(ctx)
	w := graph.JudgementWithdrawal{ID: string(r.Id), Reason: r.Params.Reason, By: p.Name, Any: p.Role == graph.RoleAdmin}
	note(ctx, "withdraw_judgement", w.ID)
	j, err := ms.WithdrawJudgement(ctx, w)
	if err != nil {
		return nil, err
	}
	return WithdrawJudgement200JSONResponse(j), nil
}

// Triage is POST /v1/triage: the article as text/plain or JSON, against the
// index of the graph's names (rebuilt when the graph changed). Nothing is
// written.
func (s *server) Triage(ctx context.Context, r TriageRequestObject) (TriageResponseObject, error) {
	if s.names == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "triage is not available on this server")
	}
	var doc triage.Document
	switch {
	case r.JSONBody != nil:
		b := r.JSONBody
		doc = triage.Document{Text: b.Text, Publisher: strings.TrimSpace(b.Publisher), Title: strings.TrimSpace(b.Title), URL: b.Url}
		if !b.Date.Time.IsZero() {
			d := graph.DateOf(b.Date.Time)
			doc.Date = &d
		}
	case r.TextBody != nil:
		doc.Text = *r.TextBody
	}
	doc, err := doc.Normalize()
	if err != nil {
		return nil, err
	}
	idx, err := s.names.Index(ctx)
	if err != nil {
		return nil, err
	}
	return Triage200JSONResponse(triage.Run(idx, doc)), nil
}

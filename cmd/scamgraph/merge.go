package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/triage"
	"github.com/scamgraph/scamgraph/internal/config"
)

const mergeUsage = `Usage:
  scamgraph merge [flags] KEEP-ID MERGED-ID…   merge duplicates into KEEP-ID
  scamgraph merge --show MERGE-ID              print a recorded merge
  scamgraph merge --undo MERGE-ID              undo a merge exactly
  scamgraph merge --not-same A-ID B-ID         record that two entities are different
  scamgraph merge --judgements [--entity ID]   list the judgements in force, newest first
  scamgraph merge --withdraw JUDGEMENT-ID      withdraw a judgement: the pair is proposed again

KEEP-ID gains the others' names (as aliases), kinds, sources, properties
(conflicting values are recorded in the merge, the kept one stays) and
relationships (re-pointed and merged by the import merge rules). The merged
ids keep resolving to KEEP-ID (GET /v1/entities/{old} answers 308, and
later imports of an old id land on KEEP-ID). Every merge is recorded and
can be undone while KEEP-ID has not changed since. Search before merging:
two people are never the same on a name alone.

A "not the same" judgement (--not-same) hides the pair from duplicate
proposals and refuses its merge; its id is judgement:A|B (the ids sorted).
--judgements lists them (who, when, why); --withdraw takes one back, so the
pair is proposed again. The CLI is the operator: it may withdraw anyone's
judgement (over the API only the author or an admin may). Withdrawing twice
is harmless: the second answers the withdrawn judgement unchanged.

Flags:
`

const mergeExamples = `
Examples:
  scamgraph merge --reason "OFAC SDN 12345 is the AFP's Chen Zhi" person:chen-zhi ofac:12345 uk:ch0001
  scamgraph merge --show merge-20260119T101500Z-1a2b3c4d
  scamgraph merge --undo merge-20260119T101500Z-1a2b3c4d
  scamgraph merge --not-same --reason "born 1987, not 1962" person:chen-zhi person:chen-zhi-2
  scamgraph merge --judgements --entity person:chen-zhi
  scamgraph merge --withdraw 'judgement:person:chen-zhi|person:chen-zhi-2' --reason "same passport after all"

Exit status: 0 done; 1 refused or failed; 2 bad usage.
`

func mergeCmd(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reason := fs.String("reason", "", "why (kept in the record)")
	by := fs.String("by", "operator", "who, for the record")
	show := fs.Bool("show", false, "print the recorded merge MERGE-ID")
	undo := fs.Bool("undo", false, "undo the merge MERGE-ID")
	notSame := fs.Bool("not-same", false, "record that A-ID and B-ID are not the same entity")
	judgements := fs.Bool("judgements", false, "list the judgements in force, newest first")
	entity := fs.String("entity", "", "with --judgements: only those naming this entity id")
	withdraw := fs.Bool("withdraw", false, "withdraw the judgement JUDGEMENT-ID (--reason says why)")
	asJSON := fs.Bool("json", false, "print the record as JSON (for scripts)")
	if help, err := parseFlags(fs, args, stdout, stderr, "merge", mergeUsage, mergeExamples); help || err != nil {
		return err
	}
	n := fs.NArg()
	switch {
	case (*show || *undo) && n != 1:
		return usageError("merge: --show and --undo take one MERGE-ID")
	case *notSame && n != 2:
		return usageError("merge: --not-same takes two ids")
	case *judgements && n != 0:
		return usageError("merge: --judgements takes no ids (filter with --entity ID)")
	case *entity != "" && !*judgements:
		return usageError("merge: --entity goes with --judgements")
	case *withdraw && n != 1:
		return usageError("merge: --withdraw takes one JUDGEMENT-ID (judgement:A|B; quote the |)")
	case !*show && !*undo && !*notSame && !*judgements && !*withdraw && n < 2:
		fs.Usage()
		return usageError("merge: name the kept id and at least one id to merge into it")
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if err := db.ApplySchema(ctx); err != nil {
		return err
	}
	var out any
	switch {
	case *show:
		out, err = db.MergeRecord(ctx, fs.Arg(0))
	case *undo:
		out, err = db.UndoMerge(ctx, fs.Arg(0), *by)
	case *notSame:
		out, _, err = db.Judge(ctx, graph.Judgement{A: fs.Arg(0), B: fs.Arg(1), Reason: *reason, By: *by})
	case *judgements:
		out, err = allJudgements(ctx, db, *entity)
	case *withdraw:
		out, err = db.WithdrawJudgement(ctx, graph.JudgementWithdrawal{ID: fs.Arg(0), Reason: *reason, By: *by, Any: true})
	default:
		out, err = db.Merge(ctx, graph.MergeRequest{Keep: fs.Arg(0), Merge: fs.Args()[1:], Reason: *reason, By: *by})
		if errors.Is(err, graph.ErrRepeated) {
			// A repeat is no failure (the API answers it 200): the earlier record.
			fmt.Fprintln(stderr, "merge: these ids were merged already; the earlier merge:")
			err = nil
		}
	}
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	if !*asJSON {
		switch v := out.(type) {
		case graph.MergeRecord:
			printMerge(stdout, v)
			return nil
		case []graph.Judgement:
			for _, j := range v {
				printJudgement(stdout, j)
			}
			fmt.Fprintf(stdout, "%d judgements\n", len(v))
			return nil
		case graph.Judgement:
			printJudgement(stdout, v)
			return nil
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// allJudgements reads every page of the judgements in force.
func allJudgements(ctx context.Context, db graph.MergeStore, entity string) ([]graph.Judgement, error) {
	out := []graph.Judgement{}
	q := graph.JudgementsQuery{Entity: entity, Limit: graph.MaxJudgementsLimit}
	for {
		page, err := db.Judgements(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Judgements...)
		if page.NextCursor == "" {
			return out, nil
		}
		q.Cursor = page.NextCursor
	}
}

func printJudgement(w io.Writer, j graph.Judgement) {
	fmt.Fprintf(w, "%s (%s, %s): %s / %s by %s at %s", j.ID, j.Verdict, j.Status, j.A, j.B, j.By, j.At.Format(time.RFC3339))
	if j.Reason != "" {
		fmt.Fprintf(w, "; reason: %s", j.Reason)
	}
	if j.ViaMerge != "" {
		fmt.Fprintf(w, "; carried over by %s", j.ViaMerge)
	}
	if j.WithdrawnAt != nil {
		fmt.Fprintf(w, "; withdrawn by %s at %s", j.WithdrawnBy, j.WithdrawnAt.Format(time.RFC3339))
		if j.WithdrawReason != "" {
			fmt.Fprintf(w, ": %s", j.WithdrawReason)
		}
	}
	fmt.Fprintln(w)
}

func printMerge(w io.Writer, r graph.MergeRecord) {
	fmt.Fprintf(w, "merge %s (%s): %s <- %s\n", r.ID, r.Status, r.Keep, strings.Join(r.Merged, ", "))
	fmt.Fprintf(w, "by %s at %s; reason: %s\n", r.By, r.At.Format(time.RFC3339), r.Reason)
	if r.UndoneAt != nil {
		fmt.Fprintf(w, "undone by %s at %s\n", r.UndoneBy, r.UndoneAt.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "gained: %d names, %d kinds, %d sources, %d properties\n", len(r.Names), len(r.Kinds), len(r.Sources), len(r.Properties))
	for _, c := range r.Conflicts {
		fmt.Fprintf(w, "conflict: %s kept %v, %s had %v\n", c.Property, c.Kept.Any(), c.From, c.Other.Any())
	}
	for _, m := range r.Relationships {
		fmt.Fprintf(w, "%-9s %s -> %s\n", m.Outcome, m.ID, m.NewID)
	}
}

const triageUsage = `Usage: scamgraph triage [flags] FILE

Reads a report's text (FILE, or - for stdin) against the graph and prints
what it names: known entities (by names and aliases, with offsets),
new candidate names, dates, victim cohorts and event words, and writes a
draft import file. Nothing is written to the graph; review the draft, then
scamgraph import --dry-run DRAFT, then import it.

Flags:
`

const triageExamples = `
Examples:
  scamgraph triage --publisher AFP --date 2026-01-19 --draft draft.ndjson article.txt
  scamgraph triage --json article.txt | jq '.known[] | .id'

Exit status: 0 done; 1 failed; 2 bad usage.
`

func triageCmd(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("triage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	publisher := fs.String("publisher", "", "the source's publisher (AFP, Radio Free Asia ...)")
	date := fs.String("date", "", "publication date YYYY-MM-DD: relative dates (\"on Monday\") resolve against it")
	title := fs.String("title", "", "the article's title")
	link := fs.String("url", "", "the article's URL")
	draft := fs.String("draft", "", "write the draft import file here")
	asJSON := fs.Bool("json", false, "print the whole result as JSON (for scripts)")
	if help, err := parseFlags(fs, args, stdout, stderr, "triage", triageUsage, triageExamples); help || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError("triage: name one FILE (or - for stdin)")
	}
	var text []byte
	var err error
	if fs.Arg(0) == "-" {
		text, err = io.ReadAll(io.LimitReader(os.Stdin, triage.MaxTextBytes+1))
	} else {
		text, err = os.ReadFile(fs.Arg(0))
	}
	if err != nil {
		return usageError("triage: %v", err)
	}
	doc := triage.Document{Text: string(text), Publisher: *publisher, Title: *title, URL: *link}
	if *date != "" {
		d, err := graph.ParseDate(*date)
		if err != nil {
			return usageError("triage: --date: %v", err)
		}
		doc.Date = &d
	}
	if doc, err = doc.Normalize(); err != nil {
		return usageError("triage: %v", err)
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	t0 := time.Now()
	idx, err := triage.NewCache(db).Index(ctx)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	logger.Info("name index built", "names", idx.Size(), "ms", time.Since(t0).Milliseconds())
	res := triage.Run(idx, doc)
	if *draft != "" {
		if err := os.WriteFile(*draft, []byte(res.Draft.NDJSON), 0o644); err != nil {
			return &exitError{code: 1, msg: err.Error()}
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "known entities (%d):\n", len(res.Known))
	for _, k := range res.Known {
		via := ""
		if k.ByAlias {
			via = " (by an alias)"
		}
		fmt.Fprintf(stdout, "  %-50s %-40q x%d%s\n", k.ID, k.Name, k.Mentions, via)
	}
	for _, m := range res.Mentions {
		if m.Ambiguous {
			fmt.Fprintf(stdout, "  ambiguous: %q at %d may be %s %v\n", m.Text, m.Start, m.ID, m.Others)
		}
	}
	fmt.Fprintf(stdout, "new candidates (%d):\n", len(res.Candidates))
	for _, c := range res.Candidates {
		fmt.Fprintf(stdout, "  %-40q %-12s at %d\n", c.Text, c.Kind, c.Start)
	}
	fmt.Fprintf(stdout, "dates (%d):\n", len(res.Dates))
	for _, d := range res.Dates {
		fmt.Fprintf(stdout, "  %-30q %s (%s)\n", d.Text, d.Date, d.Precision)
	}
	fmt.Fprintf(stdout, "cohorts (%d):\n", len(res.Cohorts))
	for _, c := range res.Cohorts {
		fmt.Fprintf(stdout, "  %-40q count %d nationality %s\n", c.Text, c.Count, c.Nationality)
	}
	fmt.Fprintf(stdout, "events (%d):\n", len(res.Events))
	for _, e := range res.Events {
		fmt.Fprintf(stdout, "  %-14s %q at %d\n", e.EventType, e.Text, e.Start)
	}
	fmt.Fprintf(stdout, "draft: %d entities, %d relationships", res.Draft.Entities, res.Draft.Relationships)
	if *draft != "" {
		fmt.Fprintf(stdout, ", written to %s", *draft)
	}
	fmt.Fprintln(stdout)
	for _, n := range res.Draft.Notes {
		fmt.Fprintln(stdout, "note: "+n)
	}
	return nil
}

package triage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/names"
)

// DraftMarker is the property every entity of a draft carries
// (`"triage": "draft"`), so that what was imported from a draft unreviewed
// can be found: MATCH (n:Entity {triage: 'draft'}).
const DraftMarker = "draft"

// Draft is the import file triage proposes: NDJSON in the import format
// (docs/import-format.md), a source record for the article, entity records
// for the new candidates, cohorts and events, and relationship suggestions
// with a suggested evidence grade. It is a draft: review every line before
// importing it (`scamgraph import --dry-run` accepts it as it is).
type Draft struct {
	Status        string   `json:"status"` // always "draft"
	SourceID      string   `json:"source_id"`
	Entities      int      `json:"entities"`
	Relationships int      `json:"relationships"`
	NDJSON        string   `json:"ndjson"`
	Notes         []string `json:"notes"`
}

type draftEntity struct {
	Record     string         `json:"record"`
	ID         string         `json:"id"`
	Kinds      []graph.Kind   `json:"kinds"`
	Name       string         `json:"name"`
	Sources    []string       `json:"sources"`
	Properties map[string]any `json:"properties"`
}

type draftRel struct {
	Record     string         `json:"record"`
	Type       graph.RelType  `json:"type"`
	From       string         `json:"from"`
	To         string         `json:"to"`
	Evidence   graph.Evidence `json:"evidence"`
	Sources    []string       `json:"sources"`
	Properties map[string]any `json:"properties"`
}

var idPrefix = map[graph.Kind]string{graph.KindPerson: "person:", graph.KindCompany: "company:", graph.KindCompound: "compound:",
	graph.KindLocation: "location:", graph.KindOrganization: "org:", graph.KindVictim: "victim:", graph.KindEvent: "event:"}

func slug(s string) string {
	w := names.Words(s)
	if len(w) > 12 {
		w = w[:12]
	}
	return strings.Join(w, "-")
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utfStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utfStart(b byte) bool { return b&0xC0 != 0x80 }

var allegedRe = regexp.MustCompile(`(?i)\b(alleg\w*|accused|reportedly|claim\w*|suspected|rumou?r\w*)\b`)

// suggestedEvidence is the grade a relationship to an event of type t,
// stated in sentence, suggests: the event's own grade (a charge, a
// designation, a conviction) unless the sentence hedges.
func suggestedEvidence(t graph.EventType, sentence string) graph.Evidence {
	if allegedRe.MatchString(sentence) {
		return graph.EvidenceAllegation
	}
	switch t {
	case graph.EventArrest, graph.EventCharge, graph.EventIndictment, graph.EventExtradition:
		return graph.EvidenceCharge
	case graph.EventSanction:
		return graph.EvidenceDesignation
	case graph.EventConviction:
		return graph.EvidenceConviction
	}
	return graph.EvidenceMediaReport
}

// buildDraft writes the draft import file for res (it sets the ids of the
// candidates and cohorts it drafts).
func buildDraft(doc Document, res *Result, sentences []Span) Draft {
	d := Draft{Status: "draft", Notes: []string{}}
	pub := doc.Date
	if pub == nil {
		t := graph.DateOf(time.Now())
		pub = &t
		d.Notes = append(d.Notes, "no publication date was given: the source's published is today's date; correct it")
	}
	publisher := strings.TrimSpace(doc.Publisher)
	if publisher == "" {
		publisher = "unknown publisher"
		d.Notes = append(d.Notes, "no publisher was given: set the source's publisher")
	}
	d.SourceID = "source:draft-" + strings.Trim(slug(publisher)+"-"+pub.String(), "-") + "-" + shortHash(doc.Text)
	title := strings.TrimSpace(doc.Title)
	name := title
	if name == "" {
		first := ""
		if len(sentences) > 0 {
			first = sentences[0].Text
		}
		name = publisher + ": " + clip(first, 160)
	}
	var lines []string
	emit := func(v any) {
		b, err := json.Marshal(v)
		if err == nil {
			lines = append(lines, string(b))
		}
	}
	srcProps := map[string]any{"publisher": publisher, "published": pub.String(), "source_type": "news", "triage": DraftMarker,
		"description": "Draft made by triage from the article's text; review before import."}
	if title != "" {
		srcProps["title"] = title
	}
	if doc.URL != "" {
		srcProps["url"] = doc.URL
	}
	emit(draftEntity{Record: "entity", ID: d.SourceID, Kinds: []graph.Kind{graph.KindSource}, Name: clip(name, graph.MaxNameLen-10), Sources: []string{}, Properties: srcProps})
	src := []string{d.SourceID}
	period := fmt.Sprintf("%s, %s %d", publisher, time.Month(pub.Month).String()[:3], pub.Year)

	// Who and what is in each sentence: known entities, drafted ones.
	type party struct {
		id    string
		kinds []graph.Kind
		at    int
		known bool
	}
	var parties []party
	ids := map[string]bool{}
	for i := range res.Candidates {
		c := &res.Candidates[i]
		prefix, ok := idPrefix[c.Kind]
		s := slug(c.Text)
		if !ok || s == "" {
			continue
		}
		id := prefix + s
		props := map[string]any{"triage": DraftMarker}
		switch c.Kind {
		case graph.KindLocation:
			props["location_type"] = locationType(c.Cue)
		case graph.KindOrganization:
			props["org_type"] = orgType(c.Cue)
		}
		c.ID = id
		parties = append(parties, party{id, []graph.Kind{c.Kind}, c.Start, false})
		if ids[id] {
			continue
		}
		ids[id] = true
		emit(draftEntity{Record: "entity", ID: id, Kinds: []graph.Kind{c.Kind}, Name: clip(c.Text, graph.MaxNameLen-10), Sources: src, Properties: props})
		d.Entities++
	}
	for i := range res.Cohorts {
		c := &res.Cohorts[i]
		id := "victim:draft-" + strings.ToLower(c.Nationality) + "-" + fmt.Sprint(c.Count) + "-" + pub.String() + "-" + shortHash(c.Text)
		id = strings.ReplaceAll(id, "--", "-")
		c.ID = id
		props := map[string]any{"cohort": true, "count": c.Count, "triage": DraftMarker}
		if c.Nationality != "" {
			props["nationality"] = c.Nationality
		}
		parties = append(parties, party{id, []graph.Kind{graph.KindVictim}, c.Start, false})
		if ids[id] {
			continue
		}
		ids[id] = true
		emit(draftEntity{Record: "entity", ID: id, Kinds: []graph.Kind{graph.KindVictim}, Name: clip(c.Text, 300) + " (" + period + ")", Sources: src, Properties: props})
		d.Entities++
	}
	for _, m := range res.Mentions {
		parties = append(parties, party{m.ID, m.Kinds, m.Start, true})
	}
	slices.SortFunc(parties, func(a, b party) int { return a.at - b.at })

	// One event per sentence and event type, with its subjects, the
	// organisations that conducted it and where it happened.
	rels := map[string]bool{}
	rel := func(t graph.RelType, from, to string, ev graph.Evidence, knownVictim bool) {
		id := graph.RelationshipID(from, t, to, "")
		if rels[id] || from == to {
			return
		}
		rels[id] = true
		props := map[string]any{"triage": DraftMarker}
		if knownVictim {
			props = map[string]any{} // a stored victim's relationships take no free properties from every role
		}
		emit(draftRel{Record: "relationship", Type: t, From: from, To: to, Evidence: ev, Sources: src, Properties: props})
		d.Relationships++
	}
	done := map[string]bool{}
	for _, ev := range res.Events {
		s := ev.Sentence
		key := fmt.Sprint(s.Start, ev.EventType)
		if done[key] {
			continue
		}
		done[key] = true
		var subjects, agents, places []party
		for _, p := range parties {
			if p.at < s.Start || p.at >= s.End {
				continue
			}
			e := graph.Entity{Kinds: p.kinds}
			switch {
			case e.HasKind(graph.KindLocation):
				places = append(places, p)
			case e.HasKind(graph.KindOrganization):
				agents = append(agents, p)
			case e.HasKind(graph.KindSource), e.HasKind(graph.KindEvent):
			default:
				subjects = append(subjects, p)
			}
		}
		if len(subjects) == 0 {
			continue
		}
		date, precision, stated := *pub, "day", false
		for _, dm := range res.Dates {
			if dm.Start >= s.Start && dm.Start < s.End && dm.Precision != "week" {
				date, precision, stated = dm.Date, dm.Precision, true
				break
			}
		}
		id := "event:draft-" + string(ev.EventType) + "-" + shortHash(s.Text)
		desc := s.Text
		if !stated {
			desc += " [date: the publication date; the text states none]"
		}
		props := map[string]any{"event_type": string(ev.EventType), "date": date.String(), "triage": DraftMarker, "description": clip(desc, graph.MaxTextLen-10)}
		if precision != "day" {
			props["date_precision"] = precision
		}
		emit(draftEntity{Record: "entity", ID: id, Kinds: []graph.Kind{graph.KindEvent}, Name: clip(string(ev.EventType)+": "+s.Text, 200), Sources: src, Properties: props})
		d.Entities++
		grade := suggestedEvidence(ev.EventType, s.Text)
		for _, p := range subjects {
			rel(graph.RelSubjectOf, p.id, id, grade, p.known && slices.Contains(p.kinds, graph.KindVictim))
		}
		for _, p := range agents {
			rel(graph.RelParticipated, p.id, id, graph.EvidenceMediaReport, false)
		}
		for _, p := range places {
			rel(graph.RelLocatedIn, id, p.id, graph.EvidenceMediaReport, false)
		}
	}
	d.NDJSON = strings.Join(lines, "\n") + "\n"
	d.Notes = append(d.Notes, "every record is a suggestion: check kinds, names, ids (search for each first), dates and evidence grades before importing")
	return d
}

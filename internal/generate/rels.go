package generate

import (
	"github.com/scamgraph/scamgraph/graph"
)

// Relationships are generated per owner entity, in entity order. Each
// relationship type has one owner side (OWNS, OPERATES, CONTROLS,
// SUBJECT_OF, CONDUCTED and PARTICIPATED_IN are owned by their end; every
// other type by its start), so two owners never produce the same
// (from, type, to) and a small per-owner set is enough to avoid duplicate
// relationship ids.

// evidence weights, in graph.Evidences() order: allegation, media_report,
// official_statement, charge, designation, conviction.
var evidenceW = map[graph.RelType][]int{
	graph.RelLocatedIn:    {10, 70, 20, 0, 0, 0},
	graph.RelPartOf:       {0, 40, 60, 0, 0, 0},
	graph.RelRepresents:   {0, 40, 60, 0, 0, 0},
	graph.RelOwns:         {15, 35, 15, 10, 20, 5},
	graph.RelControls:     {40, 40, 0, 0, 20, 0},
	graph.RelDirects:      {0, 50, 30, 0, 20, 0},
	graph.RelOperates:     {30, 35, 0, 15, 10, 10},
	graph.RelHoldsOffice:  {0, 40, 60, 0, 0, 0},
	graph.RelAdvises:      {0, 60, 40, 0, 0, 0},
	graph.RelProtects:     {70, 25, 0, 5, 0, 0},
	graph.RelFamilyOf:     {20, 70, 10, 0, 0, 0},
	graph.RelAssociateOf:  {40, 50, 0, 0, 10, 0},
	graph.RelRecruitedTo:  {55, 35, 10, 0, 0, 0},
	graph.RelHeldAt:       {55, 35, 10, 0, 0, 0},
	graph.RelReleasedFrom: {5, 50, 45, 0, 0, 0},
	graph.RelAssistedBy:   {0, 30, 70, 0, 0, 0},
	graph.RelSubjectOf:    {0, 40, 60, 0, 0, 0},
	graph.RelConducted:    {0, 40, 60, 0, 0, 0},
	graph.RelParticipated: {0, 50, 50, 0, 0, 0},
}

var evidences = graph.Evidences()

// wantSource is the source type a grade should preferably cite.
func wantSource(ev graph.Evidence) string {
	switch ev {
	case graph.EvidenceDesignation:
		return "sanction"
	case graph.EvidenceCharge:
		return "indictment"
	case graph.EvidenceConviction:
		return "court_filing"
	case graph.EvidenceOfficialStatement:
		return "government_statement"
	}
	return ""
}

// dedupe remembers the (type, other end) pairs one owner has emitted.
type dedupe struct {
	l []string
	m map[string]bool
}

func (d *dedupe) reset() { d.l, d.m = d.l[:0], nil }

func (d *dedupe) add(k string) bool {
	if d.m != nil {
		if d.m[k] {
			return false
		}
		d.m[k] = true
		return true
	}
	for _, x := range d.l {
		if x == k {
			return false
		}
	}
	d.l = append(d.l, k)
	if len(d.l) > 48 {
		d.m = make(map[string]bool, 2*len(d.l))
		for _, x := range d.l {
			d.m[x] = true
		}
	}
	return true
}

// relCtx generates the relationships of one owner.
type relCtx struct {
	g     *gen
	r     rng
	seen  dedupe
	rel   rel
	out   func(*rel) error
	err   error
	count int
	// backbone counts the backbone relationships added (see calibrate).
	backbone int
}

// backbone relationships are never thinned out: they make the ownership
// chains, the compound operators, the place hierarchy and the offices.
var backbone = map[graph.RelType]bool{
	graph.RelOwns: true, graph.RelOperates: true, graph.RelLocatedIn: true,
	graph.RelHoldsOffice: true, graph.RelHeldAt: true, graph.RelSubjectOf: true,
}

// add emits one relationship unless it repeats one of this owner's; it
// reports whether it did.
func (c *relCtx) add(t graph.RelType, from, to string, ev graph.Evidence, since, until string, props ...prop) bool {
	if c.err != nil || from == to {
		return false
	}
	if !c.seen.add(string(t) + ">" + from + ">" + to) {
		return false
	}
	if backbone[t] {
		c.backbone++
	} else if c.g.keep < 1 && !c.r.chance(c.g.keep) {
		return false
	}
	if ev == "" {
		ev = evidences[c.r.weighted(evidenceW[t])]
	}
	c.rel = rel{typ: t, from: from, to: to, evidence: ev, since: since, until: until,
		sources: c.g.cite(&c.r, c.rel.sources[:0], wantSource(ev)), props: props}
	c.count++
	if c.out != nil {
		c.err = c.out(&c.rel)
	}
	return true
}

func strProp(k, v string) prop { return prop{key: k, t: pString, s: v} }

// extras returns how many extra relationships this owner adds: heavy-tailed
// around the calibrated mean for its group.
func (c *relCtx) extras(k int) int {
	m := c.g.extraMean[k]
	if m <= 0 {
		return 0
	}
	n := c.r.round(m * c.r.pareto())
	return min(n, 2000)
}

// relsOf emits the relationships owned by entity i of group k.
func (g *gen) relsOf(k, i int, c *relCtx) {
	c.seen.reset()
	c.r = g.rng(tagRels+uint64(k), i)
	switch k {
	case kLocation:
		if l := g.loc(i); l.parent >= 0 {
			c.add(graph.RelLocatedIn, g.id(kLocation, i), g.id(kLocation, l.parent), "", "", "")
		}
	case kOrg:
		g.orgRels(i, c)
	case kTycoon:
		g.tycoonRels(i, c)
	case kOfficial:
		g.officialRels(i, c)
	case kPerson:
		g.personRels(i, c)
	case kCompany:
		g.companyRels(i, c)
	case kCompound:
		g.compoundRels(i, c)
	case kVictim:
		g.victimRels(i, c)
	case kEvent:
		g.eventRels(i, c)
	}
}

func (g *gen) orgRels(i int, c *relCtx) {
	o := g.org(i)
	me := g.id(kOrg, i)
	c.add(graph.RelLocatedIn, me, g.id(kLocation, o.seat), "", "", "")
	if o.parent >= 0 {
		c.add(graph.RelPartOf, me, g.id(kOrg, o.parent), "", "", "")
	}
	if o.represents >= 0 {
		c.add(graph.RelRepresents, me, g.id(kLocation, o.represents), "", "", "")
	}
	if o.typ == "police" || o.typ == "military" {
		// Rogue units alleged to protect compounds.
		if c.r.chance(0.1) {
			c.add(graph.RelProtects, me, g.id(kCompound, c.r.skewed(g.n[kCompound], 2)), graph.EvidenceAllegation, "", "")
		}
	}
}

func (g *gen) tycoonRels(i int, c *relCtx) {
	me := g.id(kTycoon, i)
	t := g.tycoon(i)
	if c.r.chance(0.6) {
		c.add(graph.RelAssociateOf, me, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), "", sinceMaybe(&c.r), "")
	}
	if t.official {
		gov := g.orgCCType["KH/government"]
		if x, ok := g.orgCCType[t.cc+"/government"]; ok {
			gov = x
		}
		c.add(graph.RelAdvises, me, g.id(kOrg, gov), "", sinceMaybe(&c.r), untilMaybe(&c.r))
	}
	for n := c.extras(kTycoon); n > 0; n-- {
		switch x := c.r.intn(10); {
		case x < 4:
			c.add(graph.RelAssociateOf, me, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), "", "", "")
		case x < 6:
			c.add(graph.RelAssociateOf, me, g.id(kPerson, c.r.skewed(g.n[kPerson], 1.5)), "", "", "")
		case x < 8:
			c.add(graph.RelDirects, me, g.id(kCompany, c.r.skewed(g.n[kCompany], 1.5)), "", sinceMaybe(&c.r), "")
		default:
			c.add(graph.RelAssociateOf, me, g.id(kCompany, c.r.skewed(g.n[kCompany], 2)), "", "", "")
		}
	}
}

func sinceMaybe(r *rng) string {
	if r.chance(0.35) {
		return randDate(r)
	}
	return ""
}

func untilMaybe(r *rng) string {
	if r.chance(0.15) {
		return "2026-06-28"
	}
	return ""
}

// compoundIn picks a compound, preferring one in country cc.
func (g *gen) compoundIn(r *rng, cc string) int {
	k := 0
	for try := 0; try < 6; try++ {
		k = r.skewed(g.n[kCompound], 1.8)
		if g.compound(k).cc == cc {
			return k
		}
	}
	return k
}

func (g *gen) officialRels(i int, c *relCtx) {
	me := g.id(kOfficial, i)
	o := g.official(i)
	since := randDate(&c.r)
	until := ""
	if c.r.chance(0.3) {
		until = dateAfter(&c.r, since, 1500)
	}
	c.add(graph.RelHoldsOffice, me, g.id(kOrg, o.office), "", since, until, strProp("position", o.position))
	if c.r.chance(0.5) {
		c.add(graph.RelProtects, me, g.id(kCompound, g.compoundIn(&c.r, o.cc)), "", sinceMaybe(&c.r), "")
	}
	if c.r.chance(0.2) {
		if x, ok := g.orgCCType[o.cc+"/government"]; ok {
			c.add(graph.RelAdvises, me, g.id(kOrg, x), "", sinceMaybe(&c.r), untilMaybe(&c.r))
		}
	}
	for n := c.extras(kOfficial); n > 0; n-- {
		switch x := c.r.intn(10); {
		case x < 5:
			c.add(graph.RelProtects, me, g.id(kCompound, g.compoundIn(&c.r, o.cc)), "", "", "")
		case x < 7:
			c.add(graph.RelProtects, me, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), "", "", "")
		case x < 8:
			c.add(graph.RelAdvises, me, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), "", "", "")
		default:
			c.add(graph.RelAssociateOf, me, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), "", "", "")
		}
	}
}

var relations = []string{"brother", "sister", "wife", "husband", "son", "daughter", "nephew", "cousin"}

func (g *gen) personRels(i int, c *relCtx) {
	me := g.id(kPerson, i)
	_, _, _, role := g.person(i)
	switch role {
	case "associate":
		c.add(graph.RelAssociateOf, me, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), "", "", "")
	case "relative":
		if c.r.chance(0.7) {
			c.add(graph.RelFamilyOf, me, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), "", "", "", strProp("relation", pick(&c.r, relations)))
		} else {
			c.add(graph.RelFamilyOf, me, g.id(kOfficial, c.r.skewed(g.n[kOfficial], 2)), "", "", "", strProp("relation", pick(&c.r, relations)))
		}
	case "nominee":
		c.add(graph.RelDirects, me, g.id(kCompany, c.r.intn(g.n[kCompany])), "", sinceMaybe(&c.r), untilMaybe(&c.r))
		c.add(graph.RelAssociateOf, me, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), "", "", "")
	}
	for n := c.extras(kPerson); n > 0; n-- {
		switch x := c.r.intn(10); {
		case x < 4:
			c.add(graph.RelAssociateOf, me, g.id(kPerson, c.r.intn(g.n[kPerson])), "", "", "")
		case x < 7:
			c.add(graph.RelAssociateOf, me, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), "", "", "")
		default:
			c.add(graph.RelDirects, me, g.id(kCompany, c.r.intn(g.n[kCompany])), "", "", "")
		}
	}
}

func (g *gen) companyRels(j int, c *relCtx) {
	me := g.id(kCompany, j)
	b, pos := j/blockSize, j%blockSize
	bi := g.block(b)
	co := g.company(j, &bi)
	var owner string
	if pos == 0 {
		owner = g.id(kTycoon, bi.tycoon)
	} else {
		owner = g.id(kCompany, b*blockSize+int(bi.parent[pos]))
	}
	c.add(graph.RelOwns, owner, me, "", sinceMaybe(&c.r), "")
	c.add(graph.RelLocatedIn, me, g.id(kLocation, co.loc), "", "", "")
	for n := c.extras(kCompany); n > 0; n-- {
		c.add(graph.RelAssociateOf, me, g.id(kCompany, c.r.skewed(g.n[kCompany], 1.5)), "", "", "")
	}
}

func (g *gen) compoundRels(k int, c *relCtx) {
	me := g.id(kCompound, k)
	co := g.compound(k)
	bi := g.block(co.block)
	tail := co.block*blockSize + bi.depth - 1
	c.add(graph.RelLocatedIn, me, g.id(kLocation, co.loc), "", "", "")
	since := sinceMaybe(&c.r)
	if c.r.chance(0.75) {
		c.add(graph.RelOperates, g.id(kCompany, tail), me, "", since, "")
	} else {
		c.add(graph.RelOperates, g.id(kTycoon, bi.tycoon), me, "", since, "")
	}
	if c.r.chance(0.4) {
		c.add(graph.RelOwns, g.id(kCompany, co.block*blockSize), me, "", "", "")
	}
	if c.r.chance(0.15) {
		c.add(graph.RelControls, g.id(kTycoon, bi.tycoon), me, "", "", "")
	}
	for n := c.extras(kCompound); n > 0; n-- {
		if c.r.chance(0.5) {
			c.add(graph.RelControls, g.id(kCompany, c.r.skewed(g.n[kCompany], 1.5)), me, "", "", "")
		} else {
			c.add(graph.RelControls, g.id(kTycoon, c.r.skewed(g.n[kTycoon], 2)), me, "", "", "")
		}
	}
}

func (g *gen) victimRels(v int, c *relCtx) {
	me := g.id(kVictim, v)
	vi := g.victim(v)
	comp := g.id(kCompound, vi.compound)
	if c.r.chance(0.7) {
		c.add(graph.RelRecruitedTo, me, comp, "", "", "")
	}
	c.add(graph.RelHeldAt, me, comp, "", vi.held, vi.released)
	if vi.released != "" {
		c.add(graph.RelReleasedFrom, me, comp, "", vi.released, "")
		if c.r.chance(0.6) {
			if l := g.embassies[vi.cc]; len(l) > 0 {
				c.add(graph.RelAssistedBy, me, g.id(kOrg, pick(&c.r, l)), "", vi.released, "")
			} else {
				c.add(graph.RelAssistedBy, me, g.id(kOrg, g.orgByName["International Organization for Migration"]), "", vi.released, "")
			}
		}
	}
	for n := c.extras(kVictim); n > 0; n-- {
		if c.r.chance(0.7) {
			c.add(graph.RelHeldAt, me, g.id(kCompound, c.r.skewed(g.n[kCompound], 1.8)), "", "", "")
		} else {
			c.add(graph.RelAssistedBy, me, g.id(kOrg, g.orgOf(&c.r, pick(&c.r, []string{"KH", "TH", "PH"}), "ngo")), "", "", "")
		}
	}
}

func (g *gen) eventRels(i int, c *relCtx) {
	me := g.id(kEvent, i)
	ev := g.event(i)
	var subjEv graph.Evidence
	switch ev.typ {
	case "sanction":
		subjEv = graph.EvidenceDesignation
	case "arrest", "charge", "indictment", "extradition":
		subjEv = graph.EvidenceCharge
	case "conviction":
		subjEv = graph.EvidenceConviction
	}
	c.add(graph.RelSubjectOf, g.id(ev.subjGroup, ev.subj), me, subjEv, ev.date, "")
	c.add(graph.RelLocatedIn, me, g.id(kLocation, ev.loc), "", "", "")
	switch ev.typ {
	case "raid", "crackdown", "closure", "rescue", "arrest", "deportation":
		c.add(graph.RelConducted, g.id(kOrg, g.orgOf(&c.r, ev.cc, "police", "military")), me, "", "", "")
	case "charge", "indictment":
		c.add(graph.RelConducted, g.id(kOrg, g.orgOf(&c.r, ev.cc, "prosecutor", "court")), me, "", "", "")
	case "conviction":
		c.add(graph.RelConducted, g.id(kOrg, g.orgOf(&c.r, ev.cc, "court")), me, "", "", "")
	case "sanction":
		name := "US Department of the Treasury, Office of Foreign Assets Control"
		if ev.cc == "GB" {
			name = "UK Foreign, Commonwealth and Development Office"
		}
		c.add(graph.RelConducted, g.id(kOrg, g.orgByName[name]), me, graph.EvidenceOfficialStatement, "", "")
	case "extradition":
		c.add(graph.RelConducted, g.id(kOrg, g.orgOf(&c.r, ev.cc, "ministry", "police")), me, "", "", "")
	case "repatriation":
		if l := g.embassies[ev.cc]; len(l) > 0 {
			c.add(graph.RelConducted, g.id(kOrg, pick(&c.r, l)), me, "", "", "")
		}
	}
	if c.r.chance(0.35) {
		var o int
		switch x := c.r.intn(3); x {
		case 0:
			o = g.orgOf(&c.r, pick(&c.r, []string{"KH", "PH", "TH"}), "ngo")
		case 1:
			o = g.orgByName[pick(&c.r, []string{"International Organization for Migration", "UN Office on Drugs and Crime", "INTERPOL"})]
		default:
			o = g.orgOf(&c.r, ev.cc, "ministry", "government")
		}
		c.add(graph.RelParticipated, g.id(kOrg, o), me, "", "", "", strProp("role", pick(&c.r, []string{"assisted", "announced", "negotiated", "coordinated"})))
	}
	if ev.subjGroup == kVictim && c.r.chance(0.5) {
		// The compound the victims were held at is part of the event too.
		c.add(graph.RelSubjectOf, g.id(kCompound, g.victim(ev.subj).compound), me, "", ev.date, "")
	}
	for n := c.extras(kEvent); n > 0; n-- {
		grp := ev.subjGroup
		if grp == kCompany && c.r.chance(0.5) {
			grp = kTycoon
		}
		c.add(graph.RelSubjectOf, g.id(grp, c.r.skewed(g.n[grp], 1.5)), me, subjEv, ev.date, "")
	}
}

// extraWeight says which groups carry the power-law tail of extra
// relationships, and how heavily.
var extraWeight = [nGroups]float64{
	kTycoon: 10, kOfficial: 4, kPerson: 2, kCompany: 1, kCompound: 1, kVictim: 0.5, kEvent: 1,
}

// calibrate measures the mean number of structural relationships per
// entity of each group on a sample, and sets the extra-relationship means
// so that the total is close to RelsPerEntity × Entities. When fewer are
// wanted than the structure has, non-backbone relationships are thinned
// out instead (never below the backbone, about 1.8 per entity).
func (g *gen) calibrate() {
	var c relCtx
	c.g = g
	g.keep = 1
	structural, bb := 0.0, 0.0
	for k := 0; k < nGroups; k++ {
		n := g.n[k]
		if n == 0 || k == kSource {
			continue
		}
		sample := min(n, 400)
		c.count, c.backbone = 0, 0
		for s := 0; s < sample; s++ {
			g.relsOf(k, s*n/sample, &c)
		}
		structural += float64(c.count) / float64(sample) * float64(n)
		bb += float64(c.backbone) / float64(sample) * float64(n)
	}
	need := g.relTgt - structural
	if need <= 0 {
		if structural > bb {
			g.keep = max(0, (g.relTgt-bb)/(structural-bb))
		}
		return
	}
	w := 0.0
	for k := 0; k < nGroups; k++ {
		w += extraWeight[k] * float64(g.n[k])
	}
	for k := 0; k < nGroups; k++ {
		g.extraMean[k] = need / w * extraWeight[k]
	}
}

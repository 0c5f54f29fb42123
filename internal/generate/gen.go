package generate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/scamgraph/scamgraph/graph"
)

// Entity groups, in output order: sources first, then the place and
// organisation super-nodes, then people, companies, compounds, victims and
// events.
const (
	kSource = iota
	kLocation
	kOrg
	kTycoon
	kOfficial
	kPerson
	kCompany
	kCompound
	kVictim
	kEvent
	nGroups
)

var groupSlug = [nGroups]string{"source", "location", "organization", "tycoon", "official", "person", "company", "compound", "victim", "event"}

const blockSize = 8 // companies per ownership block

type gen struct {
	seed   int64
	n      [nGroups]int
	relTgt float64 // relationships wanted in all

	nFixedLoc int
	blocks    int
	placeW    []int             // compound-site weight of every fixed place
	placesCC  map[string][]int  // fixed places with a hub weight, by country
	placeWCC  map[string][]int  // their weights
	orgByName map[string]int    // fixed organisations
	orgCCType map[string]int    // "KH/police" -> first fixed org
	embassies map[string][]int  // nationality -> embassy orgs
	govOrgs   map[string][]int  // country -> its fixed government, ministry, police, court, prosecutor orgs
	hubCCW    []int             // country weights as compound hosts
	natW      []int             // victim nationality weights
	extraMean [nGroups]float64  // mean extra relationships per entity
	keep      float64           // share of non-backbone relationships kept (1 unless thinning)
	labels    map[string]string // kinds key -> labels joined by ';'
	idCache   [nGroups][]string // ids of the small groups
	kindsOf   [nGroups][]graph.Kind
}

// MinEntities is the smallest graph the generator makes: the fixed
// countries, places, organisations and reports take about 200 entities.
const MinEntities = 1000

func newGen(cfg Config) (*gen, error) {
	if cfg.Entities < MinEntities {
		return nil, fmt.Errorf("entities: %d is too few (the fixed reference places and organisations alone are ~200); use at least %d", cfg.Entities, MinEntities)
	}
	if cfg.RelsPerEntity == 0 {
		cfg.RelsPerEntity = 3
	}
	if cfg.RelsPerEntity < 0 || cfg.RelsPerEntity > 50 {
		return nil, fmt.Errorf("rels-per-entity: %g is out of range (0 to 50)", cfg.RelsPerEntity)
	}
	N := cfg.Entities
	g := &gen{seed: cfg.Seed, relTgt: cfg.RelsPerEntity * float64(N)}
	g.nFixedLoc = 1 + len(countries) + len(places)
	g.n[kSource] = max(len(bigSources)+10, N*4/100)
	g.n[kLocation] = g.nFixedLoc + N/100
	g.n[kOrg] = len(fixedOrgs) + N/100
	g.n[kTycoon] = max(8, N*15/1000)
	g.n[kOfficial] = max(8, N*2/100)
	g.n[kPerson] = max(8, N*5/100)
	g.n[kCompany] = max(2*blockSize, N*20/100)
	g.n[kCompound] = max(8, N*6/100)
	g.n[kVictim] = max(8, N*18/100)
	rest := N
	for k := 0; k < kEvent; k++ {
		rest -= g.n[k]
	}
	if rest < 8 {
		return nil, fmt.Errorf("entities: %d is too few; use at least %d", N, MinEntities)
	}
	g.n[kEvent] = rest
	g.blocks = (g.n[kCompany] + blockSize - 1) / blockSize

	g.placesCC = map[string][]int{}
	g.placeWCC = map[string][]int{}
	for i, p := range places {
		g.placeW = append(g.placeW, p.hub)
		if p.hub > 0 {
			g.placesCC[p.cc] = append(g.placesCC[p.cc], i)
			g.placeWCC[p.cc] = append(g.placeWCC[p.cc], p.hub)
		}
	}
	for _, c := range countries {
		g.hubCCW = append(g.hubCCW, c.hub)
	}
	for _, v := range victimNationalities {
		g.natW = append(g.natW, v.w)
	}
	g.orgByName = map[string]int{}
	g.orgCCType = map[string]int{}
	g.embassies = map[string][]int{}
	g.govOrgs = map[string][]int{}
	for i, o := range fixedOrgs {
		g.orgByName[o.name] = i
		if _, ok := g.orgCCType[o.cc+"/"+o.typ]; !ok {
			g.orgCCType[o.cc+"/"+o.typ] = i
		}
		switch o.typ {
		case "embassy":
			g.embassies[o.represents] = append(g.embassies[o.represents], i)
		case "government", "ministry", "police", "court", "prosecutor":
			g.govOrgs[o.cc] = append(g.govOrgs[o.cc], i)
		}
	}
	g.labels = map[string]string{}
	g.kindsOf = [nGroups][]graph.Kind{
		{graph.KindSource}, {graph.KindLocation}, {graph.KindOrganization}, {graph.KindTycoon},
		{graph.KindOfficial}, {graph.KindPerson}, {graph.KindCompany}, {graph.KindCompound},
		{graph.KindVictim}, {graph.KindEvent},
	}
	for _, k := range []int{kSource, kLocation, kOrg} {
		g.idCache[k] = make([]string, g.n[k])
		for i := range g.idCache[k] {
			g.idCache[k][i] = "gen:" + groupSlug[k] + ":" + strconv.Itoa(i+1)
		}
	}
	g.calibrate()
	return g, nil
}

// id is the deterministic id of entity i (0-based) of group k.
func (g *gen) id(k, i int) string {
	if c := g.idCache[k]; c != nil {
		return c[i]
	}
	return "gen:" + groupSlug[k] + ":" + strconv.Itoa(i+1)
}

func (g *gen) rng(tag uint64, i int) rng { return newRNG(g.seed, tag, i) }

func (g *gen) labelsFor(kinds []graph.Kind) string {
	key := ""
	for _, k := range kinds {
		key += string(k) + ","
	}
	if l, ok := g.labels[key]; ok {
		return l
	}
	l := strings.Join(graph.Labels(kinds), ";")
	g.labels[key] = l
	return l
}

var yearW = []int{1, 1, 2, 3, 4, 4, 5, 8, 12, 14, 16, 5} // 2015 .. 2026

// date returns a YYYY-MM-DD date between 2015 and mid-2026, weighted to
// recent years.
func randDate(r *rng) string {
	y := 2015 + r.weighted(yearW)
	m := 1 + r.intn(12)
	if y == 2026 {
		m = 1 + r.intn(6)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, 1+r.intn(28))
}

// dateAfter returns a date 0..maxDays after d (same format), capped at 2026-06-28.
func dateAfter(r *rng, d string, maxDays int) string {
	y, _ := strconv.Atoi(d[:4])
	m, _ := strconv.Atoi(d[5:7])
	day, _ := strconv.Atoi(d[8:])
	add := r.intn(maxDays + 1)
	day += add
	for day > 28 {
		day -= 28
		m++
		if m > 12 {
			m = 1
			y++
		}
	}
	if y > 2026 || (y == 2026 && m > 6) {
		return "2026-06-28"
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}

func monthYear(d string) string {
	m, _ := strconv.Atoi(d[5:7])
	return monthNames[m-1] + " " + d[:4]
}

// ---- names ----

// personName returns a name typical of a country and, for Chinese names,
// the Hanzi spelling as an alias.
func personName(r *rng, cc string) (name, alias string) {
	switch cc {
	case "KH":
		return pick(r, khSurnames) + " " + pick(r, khGiven), ""
	case "MM":
		prefix := pick(r, []string{"U", "Daw", "Saw", "Ko"})
		return prefix + " " + pick(r, mmSyll) + " " + pick(r, mmSyll), ""
	case "TH":
		return pick(r, thGiven) + " " + pick(r, thSurnames), ""
	case "PH":
		return pick(r, phGiven) + " " + pick(r, phSurnames), ""
	case "VN":
		return pick(r, vnSurnames) + " " + pick(r, vnGiven), ""
	case "ID":
		return pick(r, idGiven) + " " + pick(r, idSurnames), ""
	case "IN", "LK", "NP", "BD", "PK":
		return pick(r, inGiven) + " " + pick(r, inSurnames), ""
	}
	s := pick(r, zhSurnames)
	g1 := pick(r, zhGiven)
	if r.chance(0.6) {
		g2 := pick(r, zhGiven)
		return s[0] + " " + g1[0] + strings.ToLower(g2[0]), s[1] + g1[1] + g2[1]
	}
	return s[0] + " " + g1[0], s[1] + g1[1]
}

func brand(seed int64, b int) string {
	r := newRNG(seed, tagBlock+100, b)
	return pick(&r, brandParts) + pick(&r, brandSuffixes)
}

func shellName(r *rng) string {
	return pick(r, shellWords) + " " + pick(r, shellWords) + " " + pick(r, shellSuffix)
}

func districtName(r *rng) string {
	return pick(r, districtParts) + " " + pick(r, districtSuffix)
}

// ---- sources ----

var sourceTypes = []string{"news", "ngo_report", "government_statement", "sanction", "indictment", "court_filing", "social_media"}
var sourceTypeW = []int{62, 10, 10, 5, 6, 5, 2}

func (g *gen) sourceType(i int) string {
	if i < len(bigSources) {
		return bigSources[i].typ
	}
	r := g.rng(tagSourceType, i)
	return sourceTypes[r.weighted(sourceTypeW)]
}

var headlines = []string{
	"%d workers freed from scam compound in %s",
	"Police raid suspected scam compound in %[2]s",
	"Trafficking survivors describe abuse at %[2]s compound",
	"Officials accused of shielding scam operations in %[2]s",
	"Crackdown on online fraud hubs reaches %[2]s",
	"Court hears case against scam network based in %[2]s",
	"Families of trafficked workers in %[2]s appeal for help",
	"Investigation traces shell companies behind %[2]s compounds",
	"Embassy repatriates %d nationals rescued in %s",
	"Sanctions target network running compounds in %[2]s",
}

func (g *gen) source(i int, e *entity) {
	e.id = g.id(kSource, i)
	e.kinds = append(e.kinds, graph.KindSource)
	typ := g.sourceType(i)
	if i < len(bigSources) {
		b := bigSources[i]
		e.name = b.name
		e.str("publisher", b.publisher)
		e.date("published", b.published)
		e.str("source_type", typ)
		e.str("language", "en")
		if b.title != "" {
			e.str("title", b.title)
		}
		e.str("description", "Synthetic record generated by scamgraph-gen; modelled on a landmark report.")
		return
	}
	r := g.rng(tagSource, i)
	var publisher string
	switch typ {
	case "sanction":
		publisher = sanctionPublishers[r.skewed(len(sanctionPublishers), 2)]
	case "indictment", "court_filing":
		publisher = indictmentPublishers[r.skewed(len(indictmentPublishers), 2)]
	case "government_statement":
		publisher = pick(&r, govPublishers)
	case "ngo_report":
		publisher = pick(&r, ngoPublishers)
	default:
		publisher = newsPublishers[r.skewed(len(newsPublishers), 2.5)]
	}
	pl := places[r.weighted(g.placeW)].name
	h := fmt.Sprintf(headlines[r.intn(len(headlines))], 10+r.intn(600), pl)
	e.name = publisher + ": " + h
	e.str("publisher", publisher)
	e.date("published", randDate(&r))
	e.str("source_type", typ)
	lang := "en"
	if r.chance(0.12) {
		lang = pick(&r, []string{"km", "zh", "th", "my", "id", "vi"})
	}
	e.str("language", lang)
	if r.chance(0.3) {
		e.str("title", h)
	}
	e.str("description", "Synthetic report generated by scamgraph-gen.")
}

// cite fills e.sources / a relationship's sources with 1-3 distinct source
// ids, skewed to the big reports. When want is set the first pick prefers a
// source of that type.
func (g *gen) cite(r *rng, dst []string, want string) []string {
	n := 1
	if x := r.intn(10); x >= 9 {
		n = 3
	} else if x >= 6 {
		n = 2
	}
	for len(dst) < n {
		var s int
		switch {
		case want != "" && len(dst) == 0:
			s = g.pickSourceOfType(r, want)
		case r.chance(0.2):
			s = r.skewed(len(bigSources), 1.5)
		default:
			s = r.skewed(g.n[kSource], 2.5)
		}
		id := g.id(kSource, s)
		dup := false
		for _, x := range dst {
			dup = dup || x == id
		}
		if !dup {
			dst = append(dst, id)
		}
	}
	return dst
}

func (g *gen) pickSourceOfType(r *rng, want string) int {
	s := 0
	for try := 0; try < 16; try++ {
		s = r.skewed(g.n[kSource], 1.5)
		if g.sourceType(s) == want {
			return s
		}
	}
	return s
}

// ---- locations ----

type locInfo struct {
	name, typ, cc string
	parent        int // location index, -1 for none
}

func (g *gen) countryLoc(cc string) int { return 1 + countryIndex(cc) }
func (g *gen) placeLoc(p int) int       { return 1 + len(countries) + p }

func (g *gen) loc(i int) locInfo {
	switch {
	case i == 0:
		return locInfo{"Southeast Asia", "region", "", -1}
	case i <= len(countries):
		c := countries[i-1]
		parent := -1
		if c.sea {
			parent = 0
		}
		return locInfo{c.name, "country", c.code, parent}
	case i < g.nFixedLoc:
		p := places[i-1-len(countries)]
		parent := g.countryLoc(p.cc)
		if p.parent != "" {
			parent = g.placeLoc(placeIndex(p.parent))
		}
		return locInfo{p.name, p.typ, p.cc, parent}
	}
	r := g.rng(tagLocation, i)
	pi := r.weighted(g.placeW)
	p := places[pi]
	typ := []string{"district", "city", "address"}[r.weighted([]int{60, 25, 15})]
	name := districtName(&r)
	switch typ {
	case "district":
		name += " District, " + p.name
	case "address":
		name = "Street " + strconv.Itoa(100+r.intn(900)) + ", " + name + ", " + p.name
	default:
		name += ", " + p.name
	}
	return locInfo{name, typ, p.cc, g.placeLoc(pi)}
}

func (g *gen) location(i int, e *entity) {
	l := g.loc(i)
	e.id = g.id(kLocation, i)
	e.kinds = append(e.kinds, graph.KindLocation)
	e.name = l.name
	e.str("location_type", l.typ)
	if l.cc != "" {
		e.str("country_code", l.cc)
	}
	r := g.rng(tagLocation+1000, i)
	e.sources = g.cite(&r, e.sources, "")
}

// siteIn picks a location where a compound in country cc sits: a hub place
// of that country, or sometimes a generated district under one.
func (g *gen) siteIn(r *rng, cc string) int {
	ps := g.placesCC[cc]
	if len(ps) == 0 {
		return g.countryLoc(cc)
	}
	if gl := g.n[kLocation] - g.nFixedLoc; gl > 0 && r.chance(0.35) {
		for try := 0; try < 6; try++ {
			i := g.nFixedLoc + r.intn(gl)
			if g.loc(i).cc == cc {
				return i
			}
		}
	}
	return g.placeLoc(ps[r.weighted(g.placeWCC[cc])])
}

// ---- organisations ----

type orgInfo struct {
	name, typ, cc string
	parent        int // org index or -1
	seat          int // location index
	represents    int // location index or -1
}

var genOrgTypes = []string{"police", "court", "prosecutor", "government", "military", "ngo", "other"}
var genOrgTypeW = []int{35, 15, 10, 10, 8, 15, 7}

func (g *gen) org(i int) orgInfo {
	if i < len(fixedOrgs) {
		o := fixedOrgs[i]
		oi := orgInfo{o.name, o.typ, o.cc, -1, g.countryLoc(o.cc), -1}
		if o.parent != "" {
			oi.parent = g.orgByName[o.parent]
		}
		if o.seat != "" {
			oi.seat = g.placeLoc(placeIndex(o.seat))
		}
		if o.represents != "" {
			oi.represents = g.countryLoc(o.represents)
		}
		return oi
	}
	r := g.rng(tagOrg, i)
	typ := genOrgTypes[r.weighted(genOrgTypeW)]
	pi := r.weighted(g.placeW)
	p := places[pi]
	n := strconv.Itoa(i - len(fixedOrgs) + 1)
	var name string
	switch typ {
	case "police":
		name = pick(&r, []string{"Anti-Human Trafficking Unit", "Immigration Police Office", "Provincial Police Commissariat", "Cybercrime Task Force"}) + " No. " + n + ", " + p.name
	case "court":
		name = p.name + " Provincial Court (chamber " + n + ")"
	case "prosecutor":
		name = p.name + " Prosecutor's Office (unit " + n + ")"
	case "government":
		name = p.name + " Provincial Administration (office " + n + ")"
	case "military":
		name = pick(&r, []string{"Border Guard Force", "Militia Battalion", "Army Regiment"}) + " " + n + ", " + p.name
	case "ngo":
		name = pick(&r, shellWords) + " " + pick(&r, []string{"Foundation", "Rescue Network", "Migrant Support Centre", "Rights Watch"}) + " " + n
	default:
		name = pick(&r, shellWords) + " Chamber of Commerce " + n
	}
	oi := orgInfo{name, typ, p.cc, -1, g.placeLoc(pi), -1}
	switch typ {
	case "police", "court", "prosecutor", "government", "military":
		if x, ok := g.orgCCType[p.cc+"/"+typ]; ok {
			oi.parent = x
		} else if x, ok := g.orgCCType[p.cc+"/government"]; ok {
			oi.parent = x
		}
	}
	return oi
}

func (g *gen) organization(i int, e *entity) {
	o := g.org(i)
	e.id = g.id(kOrg, i)
	e.kinds = append(e.kinds, graph.KindOrganization)
	e.name = o.name
	e.str("org_type", o.typ)
	e.str("country_code", o.cc)
	r := g.rng(tagOrg+1000, i)
	e.sources = g.cite(&r, e.sources, "")
}

// orgOf picks an organisation of country cc and one of the types.
func (g *gen) orgOf(r *rng, cc string, types ...string) int {
	if gl := g.n[kOrg] - len(fixedOrgs); gl > 0 && r.chance(0.5) {
		for try := 0; try < 8; try++ {
			i := len(fixedOrgs) + r.intn(gl)
			o := g.org(i)
			if o.cc == cc && slices.Contains(types, o.typ) {
				return i
			}
		}
	}
	for _, t := range types {
		if x, ok := g.orgCCType[cc+"/"+t]; ok {
			return x
		}
	}
	if l := g.govOrgs[cc]; len(l) > 0 {
		return l[r.skewed(len(l), 2)]
	}
	return g.orgCCType["KH/police"]
}

// ---- people ----

var tycoonCC = []string{"CN", "KH", "MM", "TW", "MY", "TH", "PH", "HK"}
var tycoonCCW = []int{45, 25, 8, 5, 5, 4, 5, 3}

type tycoonInfo struct {
	name, alias, cc string
	official        bool
}

func (g *gen) tycoon(i int) tycoonInfo {
	r := g.rng(tagTycoon, i)
	cc := tycoonCC[r.weighted(tycoonCCW)]
	name, alias := personName(&r, cc)
	return tycoonInfo{name, alias, cc, r.chance(0.1)}
}

func (g *gen) tycoonEntity(i int, e *entity) {
	t := g.tycoon(i)
	e.id = g.id(kTycoon, i)
	e.kinds = append(e.kinds, graph.KindTycoon)
	if t.official {
		e.kinds = append(e.kinds, graph.KindOfficial)
	}
	e.name = t.name
	if t.alias != "" {
		e.aliases = append(e.aliases, t.alias)
	}
	if t.cc == "KH" {
		e.aliases = append(e.aliases, "Oknha "+t.name)
	}
	e.str("nationality", t.cc)
	if t.official {
		e.str("position", "Adviser to the Government")
	}
	e.str("description", "Synthetic business figure behind a network of companies and scam compounds.")
	r := g.rng(tagTycoon+1000, i)
	e.sources = g.cite(&r, e.sources, "")
}

var officialCC = []string{"KH", "MM", "LA", "TH", "PH", "CN", "ID", "IN", "VN"}
var officialCCW = []int{40, 15, 10, 10, 15, 3, 2, 2, 3}

type officialInfo struct {
	name, cc, position string
	office             int // org index
}

func (g *gen) official(i int) officialInfo {
	r := g.rng(tagOfficial, i)
	cc := officialCC[r.weighted(officialCCW)]
	name, _ := personName(&r, cc)
	var office int
	if l := g.govOrgs[cc]; len(l) > 0 && r.chance(0.7) {
		office = l[r.skewed(len(l), 2)] // ministries are super-nodes
	} else {
		office = g.orgOf(&r, cc, "police", "court", "prosecutor", "government", "military")
	}
	typ := g.org(office).typ
	pos := officialPositions[typ]
	if pos == nil {
		pos = officialPositions["government"]
	}
	return officialInfo{name, cc, pick(&r, pos), office}
}

func (g *gen) officialEntity(i int, e *entity) {
	o := g.official(i)
	e.id = g.id(kOfficial, i)
	e.kinds = append(e.kinds, graph.KindOfficial)
	e.name = o.name
	e.str("nationality", o.cc)
	e.str("position", o.position)
	r := g.rng(tagOfficial+1000, i)
	e.sources = g.cite(&r, e.sources, "")
}

var personRoles = []string{"associate", "relative", "nominee", "witness"}
var personRoleW = []int{40, 25, 25, 10}

func (g *gen) person(i int) (name, alias, cc, role string) {
	r := g.rng(tagPerson, i)
	cc = tycoonCC[r.weighted(tycoonCCW)]
	name, alias = personName(&r, cc)
	return name, alias, cc, personRoles[r.weighted(personRoleW)]
}

func (g *gen) personEntity(i int, e *entity) {
	name, alias, cc, role := g.person(i)
	e.id = g.id(kPerson, i)
	e.kinds = append(e.kinds, graph.KindPerson)
	e.name = name
	if alias != "" {
		e.aliases = append(e.aliases, alias)
	}
	e.str("nationality", cc)
	switch role {
	case "nominee":
		e.str("position", "Company director")
	case "witness":
		e.str("description", "Synthetic witness quoted in reports.")
	}
	r := g.rng(tagPerson+1000, i)
	e.sources = g.cite(&r, e.sources, "")
}

// ---- companies: blocks of blockSize form one ownership tree ----

type blockInfo struct {
	size, depth int
	tycoon      int
	cc          string // the country it operates in
	parent      [blockSize]int8
}

func (g *gen) block(b int) blockInfo {
	r := g.rng(tagBlock, b)
	bi := blockInfo{size: min(blockSize, g.n[kCompany]-b*blockSize)}
	bi.depth = min(bi.size, 4+r.intn(3)) // 4-6 companies in the chain
	bi.tycoon = r.skewed(g.n[kTycoon], 2)
	bi.cc = countries[r.weighted(g.hubCCW)].code
	bi.parent[0] = -1
	for p := 1; p < bi.size; p++ {
		if p < bi.depth {
			bi.parent[p] = int8(p - 1)
		} else {
			bi.parent[p] = int8(r.intn(max(1, bi.depth-1))) // never deeper than the chain

		}
	}
	return bi
}

var shellCC = []string{"VG", "SC", "HK", "SG", "AE"}

type companyInfo struct {
	name, cc string
	loc      int
}

func (g *gen) company(j int, bi *blockInfo) companyInfo {
	b, pos := j/blockSize, j%blockSize
	r := g.rng(tagCompany, j)
	br := brand(g.seed, b)
	switch {
	case pos == 0:
		cc := pick(&r, []string{"KH", "HK", "CN", bi.cc})
		return companyInfo{br + " Group Holdings Co., Ltd.", cc, g.countryLoc(cc)}
	case pos < bi.depth-1:
		cc := pick(&r, shellCC)
		return companyInfo{shellName(&r), cc, g.countryLoc(cc)}
	default:
		return companyInfo{br + " " + pick(&r, companyNouns) + " Co., Ltd.", bi.cc, g.siteIn(&r, bi.cc)}
	}
}

func (g *gen) companyEntity(j int, e *entity) {
	bi := g.block(j / blockSize)
	c := g.company(j, &bi)
	e.id = g.id(kCompany, j)
	e.kinds = append(e.kinds, graph.KindCompany)
	e.name = c.name
	e.str("jurisdiction", c.cc)
	r := g.rng(tagCompany+1000, j)
	if r.chance(0.4) {
		e.str("registration", c.cc+"-"+strconv.Itoa(100000+r.intn(900000)))
	}
	if pos := j % blockSize; pos > 0 && pos < bi.depth-1 {
		e.str("description", "Synthetic offshore shell in an ownership chain.")
	}
	e.sources = g.cite(&r, e.sources, "")
}

// ---- compounds ----

type compoundInfo struct {
	name, cc string
	block    int
	loc      int
	status   string
}

var compoundStatus = []string{"active", "raided", "closed", "relocated", "unknown"}
var compoundStatusW = []int{45, 20, 15, 10, 10}

func (g *gen) compound(k int) compoundInfo {
	r := g.rng(tagCompound, k)
	b := r.skewed(g.blocks, 2.5) // big conglomerates run many compounds
	bi := g.block(b)
	loc := g.siteIn(&r, bi.cc)
	var name string
	if r.chance(0.2) {
		name = "Unnamed scam compound in " + g.loc(loc).name + " (#" + strconv.Itoa(k+1) + ")"
	} else {
		name = brand(g.seed, b) + " " + pick(&r, compoundWords)
		if r.chance(0.5) {
			name = pick(&r, shellWords) + " " + pick(&r, compoundWords) + " " + strconv.Itoa(k+1)
		}
	}
	return compoundInfo{name, bi.cc, b, loc, compoundStatus[r.weighted(compoundStatusW)]}
}

func (g *gen) compoundEntity(k int, e *entity) {
	c := g.compound(k)
	e.id = g.id(kCompound, k)
	e.kinds = append(e.kinds, graph.KindCompound)
	e.name = c.name
	e.str("status", c.status)
	e.str("country_code", c.cc)
	r := g.rng(tagCompound+1000, k)
	e.sources = g.cite(&r, e.sources, "")
}

// ---- victims ----

type victimInfo struct {
	cc       string
	cohort   bool
	count    int
	age      int
	compound int
	held     string // since
	released string // "" when not released
}

func (g *gen) victim(v int) victimInfo {
	r := g.rng(tagVictim, v)
	vi := victimInfo{cc: victimNationalities[r.weighted(g.natW)].code, cohort: r.chance(0.7)}
	if vi.cohort {
		vi.count = 2 + int(8*r.pareto()*r.pareto())
		if vi.count > 3000 {
			vi.count = 3000
		}
	} else {
		vi.age = 17 + r.intn(30)
	}
	vi.compound = r.skewed(g.n[kCompound], 1.8)
	vi.held = randDate(&r)
	if r.chance(0.55) {
		vi.released = dateAfter(&r, vi.held, 600)
	}
	return vi
}

func demonym(cc string) string { return countries[countryIndex(cc)].demonym }

func (g *gen) victimEntity(v int, e *entity) {
	vi := g.victim(v)
	e.id = g.id(kVictim, v)
	e.kinds = append(e.kinds, graph.KindVictim)
	e.str("nationality", vi.cc)
	e.boolean("cohort", vi.cohort)
	if vi.cohort {
		e.name = strconv.Itoa(vi.count) + " " + demonym(vi.cc) + " nationals held at " + g.compound(vi.compound).name
		e.num("count", int64(vi.count))
	} else {
		p := demonym(vi.cc) + " worker (case " + strconv.Itoa(v+1) + ")" // never the age: pseudonyms are public
		e.name = p
		e.str("pseudonym", p)
		e.num("age", int64(vi.age))
	}
	r := g.rng(tagVictim+1000, v)
	e.sources = g.cite(&r, e.sources, "")
}

// ---- events ----

var eventTypes = []string{"raid", "arrest", "charge", "indictment", "conviction", "sanction", "extradition",
	"deportation", "rescue", "release", "repatriation", "protest", "crackdown", "closure"}
var eventTypeW = []int{14, 14, 8, 5, 4, 4, 2, 8, 12, 8, 10, 3, 5, 3}

type eventInfo struct {
	typ, date, precision string
	subjGroup, subj      int
	loc                  int
	cc                   string // where it happened
}

func (g *gen) event(i int) eventInfo {
	r := g.rng(tagEvent, i)
	ev := eventInfo{typ: eventTypes[r.weighted(eventTypeW)], date: randDate(&r), precision: "day"}
	switch x := r.intn(20); {
	case x == 0:
		ev.precision = "year"
		ev.date = ev.date[:4] + "-01-01"
	case x < 4:
		ev.precision = "month"
		ev.date = ev.date[:7] + "-01"
	}
	switch ev.typ {
	case "raid", "crackdown", "closure":
		ev.subjGroup, ev.subj = kCompound, r.skewed(g.n[kCompound], 1.5)
	case "rescue", "release", "repatriation", "protest", "deportation":
		ev.subjGroup, ev.subj = kVictim, r.intn(g.n[kVictim])
	case "sanction":
		switch x := r.intn(10); {
		case x < 4:
			ev.subjGroup = kTycoon
		case x < 9:
			ev.subjGroup = kCompany
		default:
			ev.subjGroup = kOfficial
		}
		ev.subj = r.skewed(g.n[ev.subjGroup], 1.5)
	default: // prosecutions
		switch x := r.intn(20); {
		case x < 9:
			ev.subjGroup = kTycoon
		case x < 17:
			ev.subjGroup = kPerson
		default:
			ev.subjGroup = kOfficial
		}
		ev.subj = r.skewed(g.n[ev.subjGroup], 1.5)
	}
	switch ev.subjGroup {
	case kCompound:
		c := g.compound(ev.subj)
		ev.loc, ev.cc = c.loc, c.cc
	case kVictim:
		vi := g.victim(ev.subj)
		c := g.compound(vi.compound)
		ev.loc, ev.cc = c.loc, c.cc
		if ev.typ == "repatriation" {
			ev.loc, ev.cc = g.countryLoc(vi.cc), vi.cc
		}
	default:
		if ev.typ == "sanction" {
			cc := pick(&r, []string{"US", "US", "GB"})
			ev.loc, ev.cc = g.countryLoc(cc), cc
		} else {
			cc := countries[r.weighted(g.hubCCW)].code
			ev.loc, ev.cc = g.siteIn(&r, cc), cc
		}
	}
	return ev
}

func (g *gen) subjectName(group, i int) string {
	switch group {
	case kCompound:
		return g.compound(i).name
	case kVictim:
		vi := g.victim(i)
		if vi.cohort {
			return strconv.Itoa(vi.count) + " " + demonym(vi.cc) + " nationals"
		}
		return "a " + demonym(vi.cc) + " worker"
	case kTycoon:
		return g.tycoon(i).name
	case kOfficial:
		return g.official(i).name
	case kPerson:
		n, _, _, _ := g.person(i)
		return n
	case kCompany:
		bi := g.block(i / blockSize)
		return g.company(i, &bi).name
	}
	return "unknown"
}

func (g *gen) eventEntity(i int, e *entity) {
	ev := g.event(i)
	e.id = g.id(kEvent, i)
	e.kinds = append(e.kinds, graph.KindEvent)
	when := monthYear(ev.date)
	if ev.precision == "year" {
		when = ev.date[:4]
	}
	e.name = eventTitles[ev.typ] + " " + g.subjectName(ev.subjGroup, ev.subj) + " (" + when + ")"
	e.str("event_type", ev.typ)
	e.date("date", ev.date)
	if ev.precision != "day" {
		e.str("date_precision", ev.precision)
	}
	r := g.rng(tagEvent+1000, i)
	switch ev.typ {
	case "charge", "indictment", "conviction":
		n := 1 + r.intn(3)
		c := make([]string, 0, n)
		for len(c) < n {
			x := pick(&r, chargeNames)
			if !slices.Contains(c, x) {
				c = append(c, x)
			}
		}
		e.list("charges", c)
	}
	want := ""
	switch ev.typ {
	case "sanction":
		want = "sanction"
	case "indictment", "charge":
		want = "indictment"
	case "conviction":
		want = "court_filing"
	}
	e.sources = g.cite(&r, e.sources, want)
}

// entityAt fills e with entity i of group k.
func (g *gen) entityAt(k, i int, e *entity) {
	e.reset()
	switch k {
	case kSource:
		g.source(i, e)
	case kLocation:
		g.location(i, e)
	case kOrg:
		g.organization(i, e)
	case kTycoon:
		g.tycoonEntity(i, e)
	case kOfficial:
		g.officialEntity(i, e)
	case kPerson:
		g.personEntity(i, e)
	case kCompany:
		g.companyEntity(i, e)
	case kCompound:
		g.compoundEntity(i, e)
	case kVictim:
		g.victimEntity(i, e)
	case kEvent:
		g.eventEntity(i, e)
	}
	e.labels = g.labelsFor(e.kinds)
}

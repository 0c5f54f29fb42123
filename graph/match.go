package graph

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/hbollon/go-edlib"

	"github.com/scamgraph/scamgraph/graph/names"
)

// Matching limits and defaults.
const (
	DefaultMatchThreshold = 0.70 // a candidate at or above it is a likely duplicate
	StrongMatchThreshold  = 0.90 // the "strong" band: enough evidence to merge after review
	DefaultMatchLimit     = 10
	MaxMatchLimit         = 50
	MaxMatchNames         = 20 // names and aliases of one record that are compared
	// NameOnlyCap is the highest score a person reaches on names alone: a
	// person enters the strong band only with a shared identifier, an
	// agreeing birth date or shared neighbours.
	NameOnlyCap = 0.89
)

// Match bands.
const (
	BandStrong   = "strong"
	BandLikely   = "likely"
	BandPossible = "possible"
)

// Feature names, as reported in explanations.
const (
	FeatureNameExact          = "name_exact"           // a name of each is the same after normalisation
	FeatureNameTokenOrder     = "name_token_order"     // same words in another order ("CHEN, Zhi" / "Zhi Chen")
	FeatureNameSimilarity     = "name_similarity"      // words alike (Jaro-Winkler and Levenshtein per word)
	FeatureIdentifierMatch    = "identifier_match"     // a shared identifier (registration, passport ...)
	FeatureIdentifierMismatch = "identifier_mismatch"  // the same kind of identifier, different values
	FeatureCountryMatch       = "country_match"        // a nationality/jurisdiction/country in common
	FeatureCountryMismatch    = "country_mismatch"     // countries known on both sides, none shared
	FeatureBirthDateMatch     = "birth_date_match"     // same date of birth
	FeatureBirthYearMismatch  = "birth_year_mismatch"  // born in different years
	FeatureBirthDateMismatch  = "birth_date_mismatch"  // different dates of birth
	FeatureGenderMismatch     = "gender_mismatch"      // genders known on both sides and different
	FeatureSharedNeighbours   = "shared_neighbours"    // linked to the same entities (not sources)
	FeatureKindMismatch       = "kind_mismatch"        // kinds that can never be the same thing
	FeatureNameOnlyCap        = "name_only_cap"        // a person capped below the strong band
	FeatureCompanySuffix      = "company_form_differs" // companies with different legal forms
)

// MatchFeature is one reason for a match score: its name, its contribution
// to the score (negative for a penalty) and what it compared.
type MatchFeature struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Detail string  `json:"detail,omitempty"`
}

// MatchScore is the outcome of comparing two records.
type MatchScore struct {
	Score    float64        `json:"score"`
	Band     string         `json:"band"`
	Features []MatchFeature `json:"features"`
}

// MatchContext is what the store knows about a pair beyond the records.
type MatchContext struct {
	SharedNeighbours int      // entities (not sources) linked to both
	NeighbourNames   []string // a few of them, for the explanation
}

// identifierKeys are the properties holding identifiers; a value shared
// under any two of them counts (a registration number reported as an id
// number is still the same number).
var identifierKeys = []string{
	"registration", "registration_number", "passport", "passport_number",
	"national_id", "id_number", "tax_id", "tax_number", "inn", "ogrn",
	"lei", "imo", "swift", "swift_bic", "ofac_id", "un_id", "wikidata_id",
}

// countryKeys are the properties naming a country (ISO alpha-2).
var countryKeys = []string{"nationality", "citizenship", "jurisdiction", "country_code", "country", "birth_country"}

// birthCountryKey names where a person was born: a fact of birth, not an
// allegiance. It agrees with any country of the other record, but
// contradicts only the other's birth country: a Chinese-born tycoon holds a
// Cambodian passport (the sample's Chen Zhi, born in China, is the UK
// list's Cambodian national "Zhi CHEN").
const birthCountryKey = "birth_country"

// allegianceKeys are the country keys but the birth country.
var allegianceKeys = slices.DeleteFunc(slices.Clone(countryKeys), func(k string) bool { return k == birthCountryKey })

// IdentifierKeys lists the properties the matcher reads as identifiers.
func IdentifierKeys() []string { return slices.Clone(identifierKeys) }

// matchClass groups kinds that may be the same thing.
func matchClass(k Kind) string {
	switch k {
	case KindPerson, KindTycoon, KindOfficial:
		return "person"
	case KindCompany, KindOrganization:
		return "organization"
	default:
		return string(k)
	}
}

// MatchClasses returns the kind classes of e ("person", "organization",
// "compound", "victim", "location", "event", "source").
func MatchClasses(e Entity) []string {
	var out []string
	for _, k := range e.Kinds {
		if c := matchClass(k); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// KindsCompatible reports whether two records may be the same thing: a
// record with no kind fits any; otherwise they share a class.
func KindsCompatible(a, b Entity) bool {
	ca, cb := MatchClasses(a), MatchClasses(b)
	if len(ca) == 0 || len(cb) == 0 {
		return true
	}
	for _, c := range ca {
		if slices.Contains(cb, c) {
			return true
		}
	}
	return false
}

func isPersonLike(e Entity) bool { return slices.Contains(MatchClasses(e), "person") }
func isCompanyLike(e Entity) bool {
	return slices.Contains(e.Kinds, KindCompany) || slices.Contains(e.Kinds, KindOrganization)
}

// MatchNames returns the record's name and aliases, normalised for
// comparison (persons keep legal-form words; empty names dropped; at most
// MaxMatchNames).
func MatchNames(e Entity) []names.Name {
	person := isPersonLike(e)
	place := slices.Contains(e.Kinds, KindLocation)
	var out []names.Name
	seen := map[string]bool{}
	for _, s := range append([]string{e.Name}, e.Aliases...) {
		var n names.Name
		switch {
		case person:
			n = names.PreparePerson(s)
		case place:
			n = names.PreparePlace(s)
		default:
			n = names.Prepare(s)
		}
		if n.Empty() || seen[n.Key()] {
			continue
		}
		seen[n.Key()] = true
		out = append(out, n)
		if len(out) == MaxMatchNames {
			break
		}
	}
	return out
}

// wordSim compares two normalised words: the mean of Jaro-Winkler and
// Levenshtein similarity, so that a shared prefix alone ("zhi" and
// "zhihua") does not make a match. An initial matches a word it begins.
func wordSim(a, b string, initials bool) float64 {
	if a == b {
		return 1
	}
	if initials && (names.IsInitial(a) || names.IsInitial(b)) {
		if a[0] == b[0] {
			return 0.85
		}
		return 0
	}
	d := edlib.LevenshteinDistance(a, b)
	l := max(len(a), len(b))
	lev := 1 - float64(d)/float64(l)
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	// A word extended by a syllable is another name (zhi/zhihua, ming/mingyu).
	if strings.HasPrefix(long, short) && len(long)-len(short) >= 2 {
		return lev
	}
	sim := (float64(edlib.JaroWinklerSimilarity(a, b)) + lev) / 2
	// Romanisations of one sound (shinawatra/chinwatr, manet/maannaet).
	if sk := names.Skeleton(a); len(sk) >= 3 && sk == names.Skeleton(b) {
		sim = max(sim, 0.85)
	}
	return sim
}

// minWordSim is the similarity below which two words count as different.
const minWordSim = 0.78

// NameSimilarity compares two prepared names in [0,1] and says how:
// FeatureNameExact, FeatureNameTokenOrder or FeatureNameSimilarity. Words
// are aligned greedily best-first, whatever their order; unmatched words
// count as zero, averaged over both names' lengths, so a name that is part
// of a longer one ("Chen Zhi" in "Chen Zhi Wei") scores below a full match.
// The compact forms are compared too ("Jong-un" and "Jongun").
func NameSimilarity(a, b names.Name, person bool) (float64, string) {
	if a.Empty() || b.Empty() {
		return 0, FeatureNameSimilarity
	}
	if a.Key() == b.Key() {
		return 1, FeatureNameExact
	}
	if a.Sorted == b.Sorted || a.Compact == b.Compact {
		return 0.98, FeatureNameTokenOrder
	}
	type pair struct {
		i, j int
		s    float64
	}
	var pairs []pair
	for i, wa := range a.Words {
		for j, wb := range b.Words {
			if s := wordSim(wa, wb, person); s >= minWordSim {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int { return cmp.Compare(y.s, x.s) })
	usedA, usedB := map[int]bool{}, map[int]bool{}
	sum := 0.0
	for _, p := range pairs {
		if usedA[p.i] || usedB[p.j] {
			continue
		}
		usedA[p.i], usedB[p.j] = true, true
		sum += p.s
	}
	ca, cb := sum/float64(len(a.Words)), sum/float64(len(b.Words))
	sim := 0.4*max(ca, cb) + 0.6*min(ca, cb)
	// Compact forms catch different word splits ("sihanouk ville").
	if c := wordSim(a.Compact, b.Compact, false); len(a.Compact) >= 6 && c > sim && c >= 0.9 {
		sim = c * 0.97
	}
	// Different numbers name different things ("KK Park" / "KK Park 2").
	if !slices.Equal(names.Numbers(a.Words), names.Numbers(b.Words)) {
		sim *= 0.7
	}
	return sim, FeatureNameSimilarity
}

// normIdentifier keeps an identifier's letters and digits, upper-cased.
func normIdentifier(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// propStrings reads a property as a list of strings (string or strings).
func propStrings(e Entity, key string) []string {
	v, ok := e.Properties[key]
	if !ok {
		return nil
	}
	switch v.Type {
	case TypeString:
		return []string{v.S}
	case TypeStrings:
		return v.L
	}
	return nil
}

// identifiers returns the record's identifiers: key -> normalised values
// (values of fewer than 4 characters are too weak to count).
func identifiers(e Entity) map[string][]string {
	out := map[string][]string{}
	for _, k := range identifierKeys {
		for _, s := range propStrings(e, k) {
			if n := normIdentifier(s); len(n) >= 4 {
				out[k] = append(out[k], n)
			}
		}
	}
	return out
}

// countries returns the record's countries from keys (all of
// countryKeys when none are given), upper-cased, sorted, each once.
func countries(e Entity, keys ...string) []string {
	if len(keys) == 0 {
		keys = countryKeys
	}
	var out []string
	for _, k := range keys {
		for _, s := range propStrings(e, k) {
			s = strings.ToUpper(strings.TrimSpace(s))
			if len(s) == 2 && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

// comparableCountries says whether two records' countries, none shared,
// contradict each other: both state a nationality, citizenship,
// jurisdiction or country, or both a birth country. A birth country on one
// side and a nationality on the other is no contradiction.
func comparableCountries(a, b Entity) bool {
	if len(countries(a, allegianceKeys...)) > 0 && len(countries(b, allegianceKeys...)) > 0 {
		return true
	}
	return len(countries(a, birthCountryKey)) > 0 && len(countries(b, birthCountryKey)) > 0
}

func firstString(e Entity, key string) string {
	if l := propStrings(e, key); len(l) > 0 {
		return strings.TrimSpace(l[0])
	}
	return ""
}

func birthDate(e Entity) (string, bool) {
	for _, k := range []string{"born", "birth_date", "date_of_birth"} {
		if v, ok := e.Properties[k]; ok && (v.Type == TypeDate || v.Type == TypeString) && len(v.S) >= 4 {
			return v.S, true
		}
	}
	return "", false
}

// ScoreMatch compares two records. The score is the strongest of the main
// features (a name match weighted 0.85, a shared identifier 0.98) plus the
// qualifiers (countries, birth dates, shared neighbours, conflicting
// identifiers), clamped to [0,1]. Records whose kinds cannot be the same
// thing score 0. A person matched on names alone is capped at NameOnlyCap.
// Features lists every contribution, strongest first.
func ScoreMatch(a, b Entity, ctx MatchContext) MatchScore {
	var fs []MatchFeature
	if !KindsCompatible(a, b) {
		return MatchScore{Score: 0, Band: BandPossible, Features: []MatchFeature{{
			Name: FeatureKindMismatch, Weight: 0,
			Detail: fmt.Sprintf("%s vs %s", strings.Join(MatchClasses(a), "/"), strings.Join(MatchClasses(b), "/")),
		}}}
	}
	person := isPersonLike(a) || isPersonLike(b)

	// Names: the best pair of name or alias.
	var best float64
	var bestHow, bestDetail string
	var bestA, bestB names.Name
	na, nb := MatchNames(a), MatchNames(b)
	for _, x := range na {
		for _, y := range nb {
			s, how := NameSimilarity(x, y, person)
			if s > best {
				best, bestHow, bestA, bestB = s, how, x, y
				bestDetail = fmt.Sprintf("%q ~ %q", x.Original, y.Original)
			}
		}
	}
	main := 0.0
	if best > 0 {
		w := round3(best * 0.85)
		fs = append(fs, MatchFeature{Name: bestHow, Weight: w, Detail: bestDetail})
		main = w
	}
	if isCompanyLike(a) && isCompanyLike(b) && bestA.Suffix != "" && bestB.Suffix != "" && bestA.Suffix != bestB.Suffix {
		fs = append(fs, MatchFeature{Name: FeatureCompanySuffix, Weight: -0.05, Detail: bestA.Suffix + " vs " + bestB.Suffix})
	}

	// Identifiers.
	ia, ib := identifiers(a), identifiers(b)
	strong := false
	for ka, va := range ia {
		for kb, vb := range ib {
			for _, x := range va {
				if slices.Contains(vb, x) && !strong {
					strong = true
					fs = append(fs, MatchFeature{Name: FeatureIdentifierMatch, Weight: 0.98, Detail: fmt.Sprintf("%s=%s ~ %s", ka, x, kb)})
					main = max(main, 0.98)
				}
			}
		}
	}
	if !strong {
		for k, va := range ia {
			if vb, ok := ib[k]; ok && !slices.ContainsFunc(va, func(x string) bool { return slices.Contains(vb, x) }) {
				fs = append(fs, MatchFeature{Name: FeatureIdentifierMismatch, Weight: -0.3, Detail: fmt.Sprintf("%s %s vs %s", k, strings.Join(va, ","), strings.Join(vb, ","))})
				break
			}
		}
	}

	// Qualifiers.
	supported := strong
	ca, cb := countries(a), countries(b)
	if len(ca) > 0 && len(cb) > 0 {
		shared := slices.ContainsFunc(ca, func(c string) bool { return slices.Contains(cb, c) })
		if shared {
			fs = append(fs, MatchFeature{Name: FeatureCountryMatch, Weight: 0.03, Detail: strings.Join(ca, ",") + " ~ " + strings.Join(cb, ",")})
		} else if comparableCountries(a, b) {
			fs = append(fs, MatchFeature{Name: FeatureCountryMismatch, Weight: -0.2, Detail: strings.Join(ca, ",") + " vs " + strings.Join(cb, ",")})
		}
	}
	if da, ok := birthDate(a); ok {
		if db, ok := birthDate(b); ok {
			switch {
			case da == db:
				fs = append(fs, MatchFeature{Name: FeatureBirthDateMatch, Weight: 0.1, Detail: da})
				supported = true
			default:
				// As nomenklatura's logic-v2: a different day -0.25, and
				// a different year -0.15 more.
				fs = append(fs, MatchFeature{Name: FeatureBirthDateMismatch, Weight: -0.25, Detail: da + " vs " + db})
				if da[:4] != db[:4] {
					fs = append(fs, MatchFeature{Name: FeatureBirthYearMismatch, Weight: -0.15, Detail: da[:4] + " vs " + db[:4]})
				}
			}
		}
	}
	if ga, gb := strings.ToLower(firstString(a, "gender")), strings.ToLower(firstString(b, "gender")); ga != "" && gb != "" && ga != gb {
		fs = append(fs, MatchFeature{Name: FeatureGenderMismatch, Weight: -0.2, Detail: ga + " vs " + gb})
	}
	if ctx.SharedNeighbours > 0 {
		w := math.Min(0.04*float64(ctx.SharedNeighbours), 0.08)
		d := fmt.Sprintf("%d shared", ctx.SharedNeighbours)
		if len(ctx.NeighbourNames) > 0 {
			d += ": " + strings.Join(ctx.NeighbourNames, ", ")
		}
		fs = append(fs, MatchFeature{Name: FeatureSharedNeighbours, Weight: round3(w), Detail: d})
		supported = supported || ctx.SharedNeighbours >= 2
	}

	score := main
	for _, f := range fs {
		if f.Weight < 0 || (f.Name != bestHow && f.Name != FeatureIdentifierMatch && f.Weight > 0) {
			score += f.Weight
		}
	}
	if person && !supported && score > NameOnlyCap {
		fs = append(fs, MatchFeature{Name: FeatureNameOnlyCap, Weight: round3(NameOnlyCap - score), Detail: "a person needs an identifier, birth date or shared neighbours to be a strong match"})
		score = NameOnlyCap
	}
	score = round3(math.Max(0, math.Min(1, score)))
	slices.SortStableFunc(fs, func(x, y MatchFeature) int { return cmp.Compare(math.Abs(y.Weight), math.Abs(x.Weight)) })
	return MatchScore{Score: score, Band: MatchBand(score), Features: fs}
}

// MatchBand names the band a score falls in.
func MatchBand(score float64) string {
	switch {
	case score >= StrongMatchThreshold:
		return BandStrong
	case score >= DefaultMatchThreshold:
		return BandLikely
	}
	return BandPossible
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

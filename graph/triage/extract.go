package triage

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scamgraph/scamgraph/graph"
)

var monthNames = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
	"december": 12, "dec": 12,
}

var weekdays = map[string]time.Weekday{"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday}

const monthRe = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?`

var (
	// "May 23, 2024", "Sept. 21, 2022", "January 1 and 18", "Jan 1-18", "October 2025", "October".
	mdyRe = regexp.MustCompile(`\b` + monthRe + `(?:\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|and|to)\s*(\d{1,2})(?:st|nd|rd|th)?)?)?(?:,?\s+((?:19|20)\d\d))?\b`)
	// "23 May 2024", "1 January".
	dmyRe = regexp.MustCompile(`\b(\d{1,2})\s+` + monthRe + `(?:,?\s+((?:19|20)\d\d))?\b`)
	isoRe = regexp.MustCompile(`\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b`)
	// "in 2023", "The 2023 U.S. ... report": a bare year, not part of a number.
	yearRe = regexp.MustCompile(`(^|[^\d,.$])((?:19|20)\d\d)([^\d,]|$)`)
	relRe  = regexp.MustCompile(`(?i)\b(?:(on|last|this|next|earlier this|later this)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|year)|(yesterday|today))\b`)
)

// findDates finds absolute dates and resolves relative ones ("on Monday",
// "last week", "this month") against the publication date pub (none are
// resolved without it; a month without a year takes the latest one not
// after pub).
func findDates(text string, pub *graph.Date) []DateMention {
	out := []DateMention{}
	taken := make([]bool, len(text)+1)
	claim := func(s, e int) bool {
		if slices.Contains(taken[s:e], true) {
			return false
		}
		for i := s; i < e; i++ {
			taken[i] = true
		}
		return true
	}
	add := func(s, e int, d graph.Date, prec string, rel bool) {
		if _, err := graph.ParseDate(d.String()); err != nil || d.Month < 1 || d.Day < 1 {
			return
		}
		if t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC); t.Day() != d.Day {
			return // February 30
		}
		out = append(out, DateMention{Span: Span{Text: text[s:e], Start: s, End: e}, Date: d, Precision: prec, Relative: rel})
	}
	yearFor := func(month int) (int, bool) {
		if pub == nil {
			return 0, false
		}
		if month > pub.Month {
			return pub.Year - 1, true
		}
		return pub.Year, true
	}
	for _, m := range isoRe.FindAllStringSubmatchIndex(text, -1) {
		if claim(m[0], m[1]) {
			y, _ := strconv.Atoi(text[m[2]:m[3]])
			mo, _ := strconv.Atoi(text[m[4]:m[5]])
			d, _ := strconv.Atoi(text[m[6]:m[7]])
			add(m[0], m[1], graph.Date{Year: y, Month: mo, Day: d}, "day", false)
		}
	}
	for _, m := range dmyRe.FindAllStringSubmatchIndex(text, -1) {
		day, _ := strconv.Atoi(text[m[2]:m[3]])
		mo := monthNames[strings.ToLower(text[m[4]:m[5]])]
		y, ok := 0, false
		if m[6] >= 0 {
			y, _ = strconv.Atoi(text[m[6]:m[7]])
			ok = true
		} else {
			y, ok = yearFor(mo)
		}
		if ok && claim(m[0], m[1]) {
			add(m[0], m[1], graph.Date{Year: y, Month: mo, Day: day}, "day", m[6] < 0)
		}
	}
	for _, m := range mdyRe.FindAllStringSubmatchIndex(text, -1) {
		word := text[m[2]:m[3]]
		if word == "May" && m[4] < 0 && m[8] < 0 {
			continue // "may" the verb, capitalised at a sentence start
		}
		mo := monthNames[strings.ToLower(word)]
		y, explicit := 0, m[8] >= 0
		ok := explicit
		if explicit {
			y, _ = strconv.Atoi(text[m[8]:m[9]])
		} else {
			y, ok = yearFor(mo)
		}
		if !ok || !claim(m[0], m[1]) {
			continue
		}
		if m[4] < 0 {
			add(m[0], m[1], graph.Date{Year: y, Month: mo, Day: 1}, "month", !explicit)
			continue
		}
		d1, _ := strconv.Atoi(text[m[4]:m[5]])
		add(m[0], m[1], graph.Date{Year: y, Month: mo, Day: d1}, "day", !explicit)
		if m[6] >= 0 {
			d2, _ := strconv.Atoi(text[m[6]:m[7]])
			add(m[0], m[1], graph.Date{Year: y, Month: mo, Day: d2}, "day", !explicit)
		}
	}
	for _, m := range yearRe.FindAllStringSubmatchIndex(text, -1) {
		if claim(m[4], m[5]) {
			y, _ := strconv.Atoi(text[m[4]:m[5]])
			add(m[4], m[5], graph.Date{Year: y, Month: 1, Day: 1}, "year", false)
		}
	}
	if pub != nil {
		p := pub.Time()
		for _, m := range relRe.FindAllStringSubmatchIndex(text, -1) {
			if !claim(m[0], m[1]) {
				continue
			}
			if m[6] >= 0 { // yesterday, today
				d := p
				if strings.EqualFold(text[m[6]:m[7]], "yesterday") {
					d = p.AddDate(0, 0, -1)
				}
				add(m[0], m[1], graph.DateOf(d), "day", true)
				continue
			}
			which, unit := strings.ToLower(text[m[2]:m[3]]), strings.ToLower(text[m[4]:m[5]])
			if wd, ok := weekdays[unit]; ok {
				// News convention: "on Monday" is the latest Monday not
				// after publication; "last Monday" the one before it.
				back := (int(p.Weekday()) - int(wd) + 7) % 7
				if which == "last" && back == 0 {
					back = 7
				}
				if which == "next" {
					back = -((int(wd) - int(p.Weekday()) + 7) % 7)
				}
				add(m[0], m[1], graph.DateOf(p.AddDate(0, 0, -back)), "day", true)
				continue
			}
			shift := 0
			switch which {
			case "last":
				shift = -1
			case "next":
				shift = 1
			}
			switch unit {
			case "week":
				monday := p.AddDate(0, 0, -((int(p.Weekday())+6)%7)+7*shift)
				add(m[0], m[1], graph.DateOf(monday), "week", true)
			case "month":
				first := time.Date(p.Year(), p.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, shift, 0)
				add(m[0], m[1], graph.DateOf(first), "month", true)
			case "year":
				add(m[0], m[1], graph.Date{Year: p.Year() + shift, Month: 1, Day: 1}, "year", true)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b DateMention) int { return a.Start - b.Start })
	return out
}

// demonyms map nationality words to ISO 3166-1 alpha-2 codes.
var demonyms = map[string]string{
	"vietnamese": "VN", "indonesian": "ID", "indonesians": "ID", "indian": "IN", "indians": "IN",
	"chinese": "CN", "cambodian": "KH", "cambodians": "KH", "thai": "TH", "thais": "TH",
	"malaysian": "MY", "malaysians": "MY", "filipino": "PH", "filipinos": "PH", "philippine": "PH",
	"burmese": "MM", "myanmar": "MM", "lao": "LA", "laotian": "LA", "laotians": "LA",
	"taiwanese": "TW", "korean": "KR", "koreans": "KR", "south korean": "KR", "japanese": "JP",
	"kenyan": "KE", "kenyans": "KE", "ethiopian": "ET", "ethiopians": "ET", "ugandan": "UG", "ugandans": "UG",
	"sri lankan": "LK", "sri lankans": "LK", "nepali": "NP", "nepalese": "NP", "bangladeshi": "BD", "bangladeshis": "BD",
	"pakistani": "PK", "pakistanis": "PK", "american": "US", "americans": "US", "british": "GB",
	"singaporean": "SG", "singaporeans": "SG", "nigerian": "NG", "nigerians": "NG", "brazilian": "BR",
	"russian": "RU", "russians": "RU", "ukrainian": "UA", "ukrainians": "UA", "turkish": "TR",
	"egyptian": "EG", "egyptians": "EG", "ghanaian": "GH", "ghanaians": "GH", "mongolian": "MN",
}

var demonymRe = func() *regexp.Regexp {
	keys := make([]string, 0, len(demonyms))
	for k := range demonyms {
		keys = append(keys, regexp.QuoteMeta(k))
	}
	slices.SortFunc(keys, func(a, b string) int { return len(b) - len(a) })
	return regexp.MustCompile(`(?i)^(` + strings.Join(keys, "|") + `)\b`)
}()

var numberWords = map[string]int64{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "dozens": 24, "twenty": 20, "thirty": 30,
	"forty": 40, "fifty": 50, "hundred": 100, "hundreds": 200}

var (
	// "about 270", "more than 400", "another 60", "360", "1,200", "two".
	cohortRe = regexp.MustCompile(`(?i)\b(about|around|some|nearly|almost|over|more than|at least|up to|approximately|roughly|another|an estimated)?\s*(\d{1,3}(?:,\d{3})+|\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|twenty|thirty|forty|fifty|hundreds)\s+`)
	// the people noun after the count (and the nationality).
	nounRe = regexp.MustCompile(`(?i)^\s*(nationals|citizens|people|persons|workers|victims|men|women|youths|children|migrants|foreigners)\b`)
)

// victimNouns are the nouns that make a counted group a victim cohort
// without a nationality.
var victimNouns = map[string]bool{"victims": true, "workers": true, "migrants": true}

// findCohorts finds counted groups of people with a nationality ("about 270
// Vietnamese nationals", "360 Indians") or a victim noun ("60 victims").
func findCohorts(text string) []Cohort {
	out := []Cohort{}
	for _, m := range cohortRe.FindAllStringSubmatchIndex(text, -1) {
		num := text[m[4]:m[5]]
		rest := text[m[1]:]
		if len(rest) > 80 {
			rest = rest[:80]
		}
		// The nationality: right after the number, or after one adjective.
		code, natEnd := "", 0
		for _, skip := range []int{0, -1} {
			r := rest
			if skip < 0 {
				i := strings.IndexByte(r, ' ')
				if i < 0 {
					break
				}
				r = r[i+1:]
			}
			if d := demonymRe.FindString(r); d != "" {
				code, natEnd = demonyms[strings.ToLower(d)], len(rest)-len(r)+len(d)
				break
			}
		}
		noun := ""
		after := rest[natEnd:]
		if nm := nounRe.FindStringSubmatch(after); nm != nil {
			noun = strings.ToLower(nm[1])
			natEnd += len(nm[0])
		}
		if code == "" && !victimNouns[noun] {
			continue
		}
		if code == "" && noun == "" {
			continue
		}
		n, ok := parseCount(num)
		if !ok || n < 2 {
			continue
		}
		start := m[0]
		if m[2] < 0 {
			start = m[4]
		}
		end := m[1] + natEnd
		out = append(out, Cohort{Span: Span{Text: strings.TrimSpace(text[start:end]), Start: start, End: start + len(strings.TrimSpace(text[start:end]))},
			Count: n, Nationality: code, Approximate: m[2] >= 0 && !strings.EqualFold(text[m[2]:m[3]], "another")})
	}
	return out
}

func parseCount(s string) (int64, bool) {
	if n, ok := numberWords[strings.ToLower(s)]; ok {
		return n, true
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	return n, err == nil
}

// eventWords map the words of a text to the event types they name.
var eventWords = map[string]graph.EventType{
	"raid": graph.EventRaid, "raids": graph.EventRaid, "raided": graph.EventRaid,
	"arrest": graph.EventArrest, "arrested": graph.EventArrest, "arrests": graph.EventArrest, "detained": graph.EventArrest, "detention": graph.EventArrest,
	"charged": graph.EventCharge, "charges": graph.EventCharge,
	"indicted": graph.EventIndictment, "indictment": graph.EventIndictment,
	"convicted": graph.EventConviction, "sentenced": graph.EventConviction, "conviction": graph.EventConviction,
	"sanctioned": graph.EventSanction, "sanctions": graph.EventSanction, "designated": graph.EventSanction,
	"extradited": graph.EventExtradition, "extradition": graph.EventExtradition,
	"deported": graph.EventDeportation, "deportation": graph.EventDeportation, "deportations": graph.EventDeportation,
	"rescued": graph.EventRescue, "rescue": graph.EventRescue, "freed": graph.EventRelease,
	"released": graph.EventRelease, "release": graph.EventRelease,
	"repatriated": graph.EventRepatriation, "repatriation": graph.EventRepatriation, "repatriations": graph.EventRepatriation,
	"protested": graph.EventProtest, "protest": graph.EventProtest,
	"crackdown": graph.EventCrackdown, "crackdowns": graph.EventCrackdown,
	"closed": graph.EventClosure, "shuttered": graph.EventClosure,
}

var wordRe = regexp.MustCompile(`[A-Za-z]+`)

// findEvents finds the event words of the text, each with its sentence.
func findEvents(text string, sentences []Span) []EventCue {
	out := []EventCue{}
	for _, s := range sentences {
		for _, w := range wordRe.FindAllStringIndex(s.Text, -1) {
			if t, ok := eventWords[strings.ToLower(s.Text[w[0]:w[1]])]; ok {
				out = append(out, EventCue{Span: Span{Text: s.Text[w[0]:w[1]], Start: s.Start + w[0], End: s.Start + w[1]}, EventType: t, Sentence: s})
			}
		}
	}
	return out
}

// Cue words that classify a candidate name, by its last word (or any word).
var (
	orgCues = map[string]string{"ministry": "ministry", "embassy": "embassy", "police": "police", "bureau": "police",
		"court": "court", "agency": "government", "department": "government", "office": "government", "council": "government",
		"government": "government", "commission": "government", "centre": "government", "center": "government",
		"organization": "other", "organisation": "other", "association": "ngo", "foundation": "ngo", "un": "un_agency",
		"nations": "un_agency", "army": "military", "military": "military", "prosecutor": "prosecutor", "times": "media",
		"post": "media", "news": "media", "radio": "media", "tribunal": "court", "union": "intergovernmental"}
	companyCues  = map[string]bool{"group": true, "holdings": true, "holding": true, "co": true, "ltd": true, "inc": true, "corp": true, "corporation": true, "company": true, "bank": true, "casino": true, "resort": true, "industries": true, "enterprise": true, "enterprises": true, "limited": true, "llc": true, "plc": true, "bhd": true, "investment": true, "investments": true, "development": true, "technology": true, "trading": true}
	compoundCues = map[string]bool{"park": true, "compound": true, "zone": true, "complex": true, "tower": true, "towers": true, "village": false, "hub": true}
	placeCues    = map[string]string{"province": "province", "district": "district", "city": "city", "airport": "address", "island": "region", "street": "address", "road": "address", "border": "border_area", "county": "district", "state": "province", "regency": "district", "township": "district"}
	personCues   = map[string]bool{"ambassador": true, "minister": true, "spokesman": true, "spokeswoman": true, "spokesperson": true, "ceo": true, "president": true, "premier": true, "prime": true, "tycoon": true, "businessman": true, "businesswoman": true, "expert": true, "director": true, "chairman": true, "said": true, "told": true, "says": true, "adviser": true, "advisor": true, "senator": true, "general": true, "judge": true, "lawyer": true, "boss": true}
	// stopCaps are capitalised words that never start or make a name.
	stopCaps = map[string]bool{"the": true, "a": true, "an": true, "in": true, "on": true, "at": true, "he": true, "she": true, "they": true,
		"it": true, "we": true, "but": true, "and": true, "or": true, "many": true, "some": true, "most": true, "after": true, "before": true,
		"between": true, "because": true, "recent": true, "all": true, "another": true, "this": true, "that": true, "these": true, "those": true,
		"there": true, "their": true, "his": true, "her": true, "its": true, "our": true, "dozens": true, "about": true, "rather": true, "earlier": true,
		"translated": true, "edited": true, "add": true, "comments": true, "please": true, "by": true, "according": true, "online": true, "scammers": true,
		"transnational": true, "barbed": true, "lured": true, "not": true, "when": true, "while": true, "if": true, "as": true, "for": true, "with": true,
		"from": true, "of": true, "to": true, "also": true, "even": true, "yet": true, "so": true, "such": true, "one": true, "two": true}
	joinWords = map[string]bool{"of": true, "the": true, "de": true, "bin": true, "binti": true, "van": true, "for": true}
)

var capRe = regexp.MustCompile(`\b[\p{Lu}][\p{L}'’.-]*`)

// findCandidates finds capitalised name sequences (two or more words, or
// one word with a company, organisation or place cue) that are not known
// mentions, dates, month or day names, or nationalities, and classifies
// them by their cue words and the words around them.
func findCandidates(text string, known []Mention, dates []DateMention) []Candidate {
	out := []Candidate{}
	covered := func(s, e int) bool {
		for _, m := range known {
			if s < m.End && m.Start < e {
				return true
			}
		}
		for _, d := range dates {
			if s < d.End && d.Start < e {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	locs := capRe.FindAllStringIndex(text, -1)
	for i := 0; i < len(locs); {
		// Grow a run of capitalised words, joined by single spaces or a
		// join word ("Ministry of Interior").
		j := i
		for j+1 < len(locs) {
			gap := text[locs[j][1]:locs[j+1][0]]
			if gap == " " || (strings.HasPrefix(gap, " ") && strings.HasSuffix(gap, " ") && joinWords[strings.ToLower(strings.TrimSpace(gap))] && !strings.Contains(strings.TrimSpace(gap), " ")) {
				j++
				continue
			}
			break
		}
		run := locs[i : j+1]
		i = j + 1
		// Split the run at known mentions and dates, then trim stop words.
		var parts [][][]int
		var cur [][]int
		for _, w := range run {
			if covered(w[0], w[1]) {
				if len(cur) > 0 {
					parts = append(parts, cur)
				}
				cur = nil
				continue
			}
			cur = append(cur, w)
		}
		if len(cur) > 0 {
			parts = append(parts, cur)
		}
		for _, p := range parts {
			for len(p) > 0 && (stopCaps[lowerWord(text, p[0])] || isCalendarWord(lowerWord(text, p[0])) || demonyms[lowerWord(text, p[0])] != "" || personCues[lowerWord(text, p[0])]) {
				p = p[1:]
			}
			for len(p) > 0 && (stopCaps[lowerWord(text, p[len(p)-1])] || isCalendarWord(lowerWord(text, p[len(p)-1]))) {
				p = p[:len(p)-1]
			}
			if len(p) == 0 {
				continue
			}
			start, end := p[0][0], p[len(p)-1][1]
			for end > start && strings.ContainsRune(".'’-", rune(text[end-1])) {
				end--
			}
			name := text[start:end]
			c := Candidate{Span: Span{Text: name, Start: start, End: end}}
			c.Kind, c.Cue = classify(text, start, end, p)
			if len(p) == 1 && c.Kind != graph.KindCompany && !(c.Kind == graph.KindLocation && c.Cue != lowerWord(text, p[0])) {
				continue // one capitalised word: a name only with a company form, or as a place after "in"
			}
			key := strings.ToLower(name)
			if seen[key] || len(out) >= MaxCandidates {
				continue
			}
			seen[key] = true
			out = append(out, c)
		}
	}
	return out
}

func lowerWord(text string, w []int) string {
	return strings.ToLower(strings.Trim(text[w[0]:w[1]], ".'’-"))
}

func isCalendarWord(w string) bool {
	_, m := monthNames[w]
	_, d := weekdays[w]
	return m || d
}

// classify guesses a candidate's kind from its own words (the last one
// first) and the words just before and after it.
func classify(text string, start, end int, words [][]int) (graph.Kind, string) {
	for k := len(words) - 1; k >= 0; k-- {
		w := lowerWord(text, words[k])
		switch {
		case companyCues[w]:
			return graph.KindCompany, w
		case orgCues[w] != "":
			return graph.KindOrganization, w
		case compoundCues[w]:
			return graph.KindCompound, w
		case placeCues[w] != "":
			return graph.KindLocation, w
		}
	}
	before := strings.Fields(strings.ToLower(text[max(0, start-40):start]))
	after := strings.Fields(strings.ToLower(text[end:min(len(text), end+30)]))
	trim := func(s string) string {
		return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	}
	if len(before) > 0 {
		b := trim(before[len(before)-1])
		if personCues[b] {
			return graph.KindPerson, b
		}
		if (b == "in" || b == "near" || b == "from" || b == "to") && len(words) <= 3 {
			return graph.KindLocation, b
		}
	}
	if len(after) > 0 {
		if a := trim(after[0]); personCues[a] {
			return graph.KindPerson, a
		}
	}
	if len(words) >= 2 && len(words) <= 4 && allNameLike(text, words) {
		return graph.KindPerson, ""
	}
	return "", ""
}

// allNameLike reports whether every word is a plain capitalised word (no
// dots, no digits): how most people's names look.
func allNameLike(text string, words [][]int) bool {
	for _, w := range words {
		s := text[w[0]:w[1]]
		r, _ := utf8.DecodeRuneInString(s)
		if !unicode.IsUpper(r) || strings.ContainsAny(s, ".0123456789") {
			return false
		}
	}
	return true
}

// orgType is the org_type a cue suggests.
func orgType(cue string) string {
	if t := orgCues[cue]; t != "" {
		return t
	}
	return "other"
}

// locationType is the location_type a cue suggests.
func locationType(cue string) string {
	if t := placeCues[cue]; t != "" {
		return t
	}
	return "city"
}

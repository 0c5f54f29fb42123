package graph

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The rules a record must keep against the graph it is merged into (and
// not only on its own, see ValidateEntity). The importer applies them
// before it writes anything, against the graph as it was then, and the
// store applies them again inside each write transaction, against the
// graph as it is, so that concurrent imports cannot slip past them.

// CheckEntityWrite decides whether the record in may be merged into cur,
// the entity as it stands (stored, with earlier records of the same batch
// merged in; cur.Kinds is empty for a new id). guarded says that the
// writer may not see the entity's hidden victim fields (see
// WriteOptions.Guarded); visibleName is then the name the writer sees.
// It returns the record as it is to be merged (a guarded record's name,
// which must be the visible one, is dropped: it changes nothing) or the
// reason for refusing it. No refusal depends on a field the writer cannot
// see.
func CheckEntityWrite(cur, in Entity, guarded bool, visibleName string) (Entity, error) {
	kinds := unionKinds(cur.Kinds, in.Kinds)
	if len(cur.Kinds) > 0 && slices.Contains(kinds, KindSource) && len(kinds) > 1 {
		return in, Errorf(CodeInvalid, "kinds", "%q is already in the graph as %s; a source cannot also be another kind",
			in.ID, KindNames(cur.Kinds))
	}
	if !guarded {
		return in, nil
	}
	const why = "your role may not see a victim's personal fields, so it may not write them on a victim already in the graph (an admin may)"
	if in.Name != visibleName {
		return in, Errorf(CodeInvalid, "name", "must be %q, the name your role sees: %s", visibleName, why)
	}
	if len(in.Aliases) > 0 {
		return in, Errorf(CodeInvalid, "aliases", "must be empty: %s", why)
	}
	for _, k := range slices.Sorted(maps.Keys(in.Properties)) {
		if !slices.Contains(VictimPublicProperties, k) {
			return in, Errorf(CodeInvalid, "properties."+k, "may not be set (only %s may): %s",
				strings.Join(VictimPublicProperties, ", "), why)
		}
	}
	// A cohort's name is shown, so an individual may not become one: that
	// would show its real name.
	if c := in.Properties["cohort"]; cur.HasKind(KindVictim) && c.Type == TypeBool && c.B && !cur.Properties["cohort"].B {
		return in, Errorf(CodeInvalid, "properties.cohort", "may not turn an individual victim into a cohort, whose name every role sees: %s", why)
	}
	in.Name = ""
	return in, nil
}

// VisibleName is the name of a stored entity as a role that may not see
// victims' personal fields sees it.
func VisibleName(stored Entity) string { return RedactVictim(stored, RoleReader).Name }

// CheckRelationshipWrite decides whether r may be written between entities
// of kinds from and to: the endpoint kinds of its type (EndpointsOf) must
// fit, and a relationship touching a guarded victim (see
// WriteOptions.Guarded) may carry no free properties, which its readers
// cannot see either.
func CheckRelationshipWrite(r Relationship, from, to []Kind, guardedEnd bool) error {
	ends := EndpointsOf(r.Type)
	if !EndpointsFit(ends.From, from) {
		return Errorf(CodeInvalid, "from", "%s must start at a %s; %q is %s", r.Type, KindNames(ends.From), r.From, KindNames(from))
	}
	if !EndpointsFit(ends.To, to) {
		return Errorf(CodeInvalid, "to", "%s must end at a %s; %q is %s", r.Type, KindNames(ends.To), r.To, KindNames(to))
	}
	if guardedEnd && len(r.Properties) > 0 {
		return Errorf(CodeInvalid, "properties", "must be empty on a relationship of a victim already in the graph: "+
			"your role may not see its properties, so it may not write them (an admin may)")
	}
	return nil
}

// checkVictimText refuses a victim record whose id, name, pseudonym or
// description repeats one of its own personal values: its age (as digits
// or words, "18-year-old", "eighteen"), any other property marked Personal,
// and its real name (the name of an individual whose pseudonym differs).
// Ids and pseudonyms are shown to every role; the rest is hidden for a
// reason. Matching ignores case and punctuation; text values match as a
// substring (short ones as a whole word), and so does each significant
// word of them.
func checkVictimText(e Entity) error {
	if !e.HasKind(KindVictim) {
		return nil
	}
	type secret struct {
		what  string
		forms []string // normalised
	}
	var secrets []secret
	for _, k := range slices.Sorted(maps.Keys(e.Properties)) {
		if !PropertySpecs[k].Personal {
			continue
		}
		v := e.Properties[k]
		switch v.Type {
		case TypeInt:
			secrets = append(secrets, secret{k, []string{strconv.FormatInt(v.I, 10), normText(numberWords(v.I))}})
		case TypeStrings:
			for _, s := range v.L {
				secrets = append(secrets, secret{k, textForms(s)})
			}
		case TypeString, TypeDate:
			secrets = append(secrets, secret{k, textForms(v.S)})
		}
	}
	pseudonym := e.Properties["pseudonym"].S
	cohort := e.Properties["cohort"]
	realName := e.Name != "" && e.Name != pseudonym && !(cohort.Type == TypeBool && cohort.B)
	fields := []struct{ field, text string }{
		{"id", e.ID}, {"properties.pseudonym", pseudonym}, {"properties.description", e.Properties["description"].S},
	}
	if !realName {
		fields = append(fields, struct{ field, text string }{"name", e.Name})
	} else {
		secrets = append(secrets, secret{"real name", textForms(e.Name)})
	}
	for _, f := range fields {
		text := " " + normText(f.text) + " "
		if strings.TrimSpace(text) == "" {
			continue
		}
		for _, s := range secrets {
			for _, form := range s.forms {
				if form != "" && matches(text, form) {
					return Errorf(CodeInvalid, f.field, "repeats the victim's own %s (%q): ids and pseudonyms are shown to every role; "+
						"keep age, origin and real name in their own fields only", s.what, form)
				}
			}
		}
	}
	return nil
}

// matches reports whether the normalised form occurs in text (padded with
// spaces): as a whole word when it is short or a number, else anywhere.
func matches(text, form string) bool {
	if len(form) < 4 || isDigits(form) {
		return strings.Contains(text, " "+form+" ")
	}
	return strings.Contains(text, form)
}

func isDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// placeWords are too common in places' names to betray one on their own.
var placeWords = map[string]bool{"north": true, "south": true, "east": true, "west": true, "central": true,
	"northern": true, "southern": true, "eastern": true, "western": true, "upper": true, "lower": true,
	"province": true, "region": true, "district": true, "city": true, "island": true, "islands": true,
	"village": true, "town": true, "county": true, "state": true, "regency": true, "the": true, "and": true}

// textForms is a text value normalised, and each significant word of it.
func textForms(s string) []string {
	n := normText(s)
	out := []string{n}
	words := strings.Fields(n)
	if len(words) > 1 {
		for _, w := range words {
			if len(w) >= 4 && !placeWords[w] {
				out = append(out, w)
			}
		}
	}
	return out
}

// normText lower-cases s and turns every run of characters other than
// letters and digits into one space.
func normText(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

var smallNumbers = strings.Fields("zero one two three four five six seven eight nine ten eleven twelve thirteen " +
	"fourteen fifteen sixteen seventeen eighteen nineteen")
var tens = strings.Fields("_ _ twenty thirty forty fifty sixty seventy eighty ninety")

// numberWords spells 0 to 999 in English words ("twenty-one"); other
// numbers come back as digits.
func numberWords(n int64) string {
	switch {
	case n < 0 || n > 999:
		return strconv.FormatInt(n, 10)
	case n < 20:
		return smallNumbers[n]
	case n < 100:
		if n%10 == 0 {
			return tens[n/10]
		}
		return tens[n/10] + "-" + smallNumbers[n%10]
	case n%100 == 0:
		return smallNumbers[n/100] + " hundred"
	}
	return fmt.Sprintf("%s hundred and %s", smallNumbers[n/100], numberWords(n%100))
}

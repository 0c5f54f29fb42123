package graph

import (
	"strings"
)

// ftmSchemaKinds maps FollowTheMoney schemata to our kinds.
var ftmSchemaKinds = map[string]Kind{
	"Person": KindPerson, "Company": KindCompany, "Organization": KindOrganization,
	"LegalEntity": KindCompany, "PublicBody": KindOrganization, "Address": KindLocation,
}

// ftmProps maps FollowTheMoney properties to ours (identifiers, countries,
// birth date, gender); names are handled apart.
var ftmProps = map[string]string{
	"registrationNumber": "registration", "idNumber": "id_number", "passportNumber": "passport",
	"taxNumber": "tax_id", "innCode": "inn", "ogrnCode": "ogrn", "leiCode": "lei", "imoNumber": "imo",
	"swiftBic": "swift", "wikidataId": "wikidata_id", "nationality": "nationality",
	"citizenship": "nationality", "jurisdiction": "jurisdiction", "country": "country_code",
	"birthDate": "born", "gender": "gender",
}

// EntityFromFtM converts a FollowTheMoney entity (schema, properties as
// lists of strings) into a record for matching: name and alias, weakAlias,
// previousName as names; identifiers, countries (lower-case ISO codes
// upper-cased), the first birth date and gender as properties. Unknown
// schemata are CodeInvalid on "ftm.schema"; other properties are ignored.
func EntityFromFtM(id, schema string, props map[string][]string) (Entity, error) {
	k, ok := ftmSchemaKinds[schema]
	if !ok {
		return Entity{}, Errorf(CodeInvalid, "ftm.schema", "unsupported schema %q (Person, Company, Organization, LegalEntity, PublicBody, Address)", schema)
	}
	e := Entity{ID: id, Kinds: []Kind{k}, Properties: map[string]Value{}}
	var allNames []string
	for _, p := range []string{"name", "alias", "weakAlias", "previousName", "full"} {
		for _, v := range props[p] {
			if v = strings.TrimSpace(v); v != "" {
				allNames = append(allNames, v)
			}
		}
	}
	if len(allNames) == 0 {
		return Entity{}, Errorf(CodeInvalid, "ftm.properties.name", "needs at least one name")
	}
	e.Name, e.Aliases = allNames[0], allNames[1:]
	for fp, ours := range ftmProps {
		vals := props[fp]
		if len(vals) == 0 {
			continue
		}
		switch ours {
		case "born":
			if d, err := ParseDate(vals[0]); err == nil {
				e.Properties[ours] = DateValue(d)
			} else if len(vals[0]) >= 10 {
				if d, err := ParseDate(vals[0][:10]); err == nil {
					e.Properties[ours] = DateValue(d)
				}
			}
		case "nationality", "jurisdiction", "country_code":
			var l []string
			if cur, ok := e.Properties[ours]; ok {
				l = cur.L
			}
			for _, v := range vals {
				l = append(l, strings.ToUpper(strings.TrimSpace(v)))
			}
			e.Properties[ours] = StringsValue(l)
		default:
			e.Properties[ours] = StringsValue(vals)
		}
	}
	return e, nil
}

// name: gds-native-present
// params: $labels LIST<STRING> -- kind labels from graph.KindLabel; $types LIST<STRING> -- relationship types from the allow-list
// returns: one row: labels, types (those of $labels and $types the database has ever held), weighted (whether the property evidence_rank exists)
// A native projection refuses a label, type or property the database has
// no token for; gds-project-native names only these.
CALL db.labels() YIELD label
WITH collect(label) AS have
CALL db.relationshipTypes() YIELD relationshipType
WITH have, collect(relationshipType) AS haveTypes
CALL db.propertyKeys() YIELD propertyKey
WITH have, haveTypes, collect(propertyKey) AS keys
RETURN [l IN $labels WHERE l IN have] AS labels, [t IN $types WHERE t IN haveTypes] AS types,
       'evidence_rank' IN keys AS weighted

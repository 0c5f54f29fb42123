// name: merge-delete-prefix
// params: $prefix STRING -- an id prefix such as "t3f9a1c2e:"; never empty
// returns: deleted -- merge records, redirects, snapshots and judgements of
//          entities under the prefix, deleted
MATCH (x)
WHERE (x:Merge AND x.keep STARTS WITH $prefix) OR (x:Redirect AND x.id STARTS WITH $prefix)
   OR ((x:Judgement OR x:WithdrawnJudgement) AND (x.a STARTS WITH $prefix OR x.b STARTS WITH $prefix))
   OR (x:MergeSnapshot AND x.id STARTS WITH $prefix) OR (x:MergeSnapshotRel AND x._from STARTS WITH $prefix)
DETACH DELETE x
RETURN count(*) AS deleted

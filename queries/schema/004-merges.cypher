// Schema, part 4: merges (docs/matching.md, "Merges"). A merge is recorded
// as a :Merge node; each merged id leaves a :Redirect to the kept id; the
// state before the merge is kept in :MergeSnapshot (nodes) and
// :MergeSnapshotRel (relationships) until the merge is undone. A "not the
// same" judgement is a :Judgement node, relabelled :WithdrawnJudgement when
// withdrawn. None of them is an :Entity.
CREATE CONSTRAINT merge_id IF NOT EXISTS FOR (m:Merge) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT redirect_id IF NOT EXISTS FOR (r:Redirect) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT judgement_id IF NOT EXISTS FOR (j:Judgement) REQUIRE j.id IS UNIQUE;
CREATE INDEX judgement_a IF NOT EXISTS FOR (j:Judgement) ON (j.a);
CREATE INDEX judgement_b IF NOT EXISTS FOR (j:Judgement) ON (j.b);
CREATE INDEX merge_snapshot IF NOT EXISTS FOR (s:MergeSnapshot) ON (s._merge);
CREATE INDEX merge_snapshot_rel IF NOT EXISTS FOR (s:MergeSnapshotRel) ON (s._merge);
CREATE INDEX withdrawn_judgement_id IF NOT EXISTS FOR (j:WithdrawnJudgement) ON (j.id);

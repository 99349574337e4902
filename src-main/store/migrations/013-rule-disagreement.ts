// The "model ≠ rule" worklist queue read from a table kept by triggers, as record_flag keeps the other model queues
// (migration 8): its condition compared every record's predictions with its rule results on each page and count.

/** Whether record `x` has a prediction that a rule result on the same code decides the other way. */
const disagrees = (x: string): string => `EXISTS (SELECT 1 FROM ml_prediction p JOIN rule_result rr ON rr.record_id = p.record_id
  WHERE p.record_id = ${x} AND rr.decision IS NOT NULL AND rr.codes LIKE '%"' || p.class_code || '"%' AND rr.decision <> p.predicted)`;

/** Recomputes record `x`'s row (present only while it disagrees). */
const refresh = (x: string): string => `
  DELETE FROM record_rule_disagreement WHERE record_id = ${x};
  INSERT INTO record_rule_disagreement (record_id) SELECT ${x} WHERE ${disagrees(x)} AND EXISTS (SELECT 1 FROM record WHERE id = ${x});`;

export const migration = {
  version: 13,
  name: 'rule-disagreement',
  sql: `
-- Records with a prediction that a rule result on the same code contradicts (the "model ≠ rule" queue).
CREATE TABLE record_rule_disagreement (record_id INTEGER PRIMARY KEY);

-- A new prediction or rule result can only add a disagreement, so inserts check the new row alone (predict --all
-- inserts a row per class); updates and deletes recompute the record.
CREATE TRIGGER ml_prediction_rule_disagreement_insert AFTER INSERT ON ml_prediction
  WHEN NOT EXISTS (SELECT 1 FROM record_rule_disagreement WHERE record_id = NEW.record_id) BEGIN
  INSERT INTO record_rule_disagreement (record_id) SELECT NEW.record_id WHERE EXISTS (SELECT 1 FROM rule_result rr
    WHERE rr.record_id = NEW.record_id AND rr.decision IS NOT NULL AND rr.decision <> NEW.predicted
      AND rr.codes LIKE '%"' || NEW.class_code || '"%');
END;
CREATE TRIGGER rule_result_rule_disagreement_insert AFTER INSERT ON rule_result
  WHEN NEW.decision IS NOT NULL AND NOT EXISTS (SELECT 1 FROM record_rule_disagreement WHERE record_id = NEW.record_id) BEGIN
  INSERT INTO record_rule_disagreement (record_id) SELECT NEW.record_id WHERE EXISTS (SELECT 1 FROM ml_prediction p
    WHERE p.record_id = NEW.record_id AND p.predicted <> NEW.decision AND NEW.codes LIKE '%"' || p.class_code || '"%');
END;
CREATE TRIGGER ml_prediction_rule_disagreement_update AFTER UPDATE ON ml_prediction BEGIN ${refresh('OLD.record_id')} ${refresh('NEW.record_id')} END;
CREATE TRIGGER rule_result_rule_disagreement_update AFTER UPDATE ON rule_result BEGIN ${refresh('OLD.record_id')} ${refresh('NEW.record_id')} END;
CREATE TRIGGER ml_prediction_rule_disagreement_delete AFTER DELETE ON ml_prediction BEGIN ${refresh('OLD.record_id')} END;
CREATE TRIGGER rule_result_rule_disagreement_delete AFTER DELETE ON rule_result BEGIN ${refresh('OLD.record_id')} END;
CREATE TRIGGER record_rule_disagreement_record_delete AFTER DELETE ON record BEGIN
  DELETE FROM record_rule_disagreement WHERE record_id = OLD.id;
END;

INSERT INTO record_rule_disagreement (record_id) SELECT r.id FROM record r WHERE ${disagrees('r.id')};
`,
};

-- An item's moves in time order, with the id as the tie-break between moves
-- made at the same moment (a batch's), so "the last move up to a moment" is
-- one seek of this index instead of a sort of the item's moves.
CREATE INDEX scm_move_item_time ON scm_move (company_id, item_id, moved_at, id);
DROP INDEX scm_move_item;

-- A billing run walks a house's apartments in id order from its cursor
-- (WHERE house_id = $1 AND id > $2 ORDER BY id LIMIT n): this index serves
-- each batch directly, however large the house.
CREATE INDEX apartments_house_id_id_idx ON apartments (house_id, id);

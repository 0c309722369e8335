DROP INDEX apartments_house_number_order_idx;
ALTER TABLE apartments DROP COLUMN number_order;

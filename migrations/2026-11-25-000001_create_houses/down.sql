DROP TABLE meters;
DROP TABLE apartments;
DROP TABLE houses;

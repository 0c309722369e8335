DROP TABLE reading_doubts;

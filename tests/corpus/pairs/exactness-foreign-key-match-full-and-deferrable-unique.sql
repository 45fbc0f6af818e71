-- FOREIGN KEY … MATCH FULL, and unique constraints DEFERRABLE / INITIALLY DEFERRED changing between the two.
CREATE TABLE pairs (a integer, b integer, CONSTRAINT pairs_a_b UNIQUE (a, b));
CREATE TABLE refs (a integer, b integer, CONSTRAINT refs_pair FOREIGN KEY (a, b) REFERENCES pairs (a, b));
CREATE TABLE slots (n integer, CONSTRAINT slots_n UNIQUE (n) DEFERRABLE);
-- b
CREATE TABLE pairs (a integer, b integer, CONSTRAINT pairs_a_b UNIQUE (a, b));
CREATE TABLE refs (a integer, b integer, CONSTRAINT refs_pair FOREIGN KEY (a, b) REFERENCES pairs (a, b) MATCH FULL);
CREATE TABLE slots (n integer, CONSTRAINT slots_n UNIQUE (n) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE seats (n integer, CONSTRAINT seats_n UNIQUE (n) DEFERRABLE INITIALLY IMMEDIATE);

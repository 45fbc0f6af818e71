-- pending: an index key's own COLLATE is not modelled yet; pull names it as not carried (issue 16)
CREATE TABLE people (name text);
-- b
CREATE TABLE people (name text);
CREATE INDEX people_name_c ON people (name COLLATE "C");

"""Pure logic: no Flask, no database. Tested on plain values."""

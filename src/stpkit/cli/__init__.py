"""The `stpkit` command line."""

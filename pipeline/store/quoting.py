"""Quoting for the few statements DuckDB cannot parameterise (ATTACH paths, COMMENT ON texts, catalog names)."""


def sql_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
